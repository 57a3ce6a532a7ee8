package io.syncctl.shared.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses the placeholder values of the example settings (deploy/k8s/overlays/example) at startup:
 * a secret still reading {@code CHANGE_ME}, or a token list with an entry that is empty after trim
 * ({@code "a,,b"}), would otherwise be accepted as a real token, password or key. One line naming
 * the variable, never its value.
 */
final class Placeholders {
    static final String MARK = "CHANGE_ME";

    private static final List<String> BOTH = List.of("PAYLOAD_KEY", "DATABASE_URL");
    private static final List<String> API = List.of("AUTH_TOKENS", "RAW_AUTH_TOKENS", "TOKEN_SECRET");
    private static final List<String> WORKER = List.of("DASHBOARD_PASSWORD", "SIDECAR_DATABASE_URL");
    /** Comma-separated lists: each entry must be a real value. */
    private static final List<String> LISTS = List.of("AUTH_TOKENS", "RAW_AUTH_TOKENS", "TOKEN_SECRET");

    private Placeholders() {
    }

    static void refuse(Map<String, String> env, Settings.Role role) {
        for (String name : BOTH) {
            check(env, name);
        }
        for (String name : role == Settings.Role.API ? API : WORKER) {
            check(env, name);
        }
    }

    private static void check(Map<String, String> env, String name) {
        String v = env.get(Settings.PREFIX + name);
        if (v == null || v.isBlank()) {
            return; // unset: the setting's own rule (required or optional) applies
        }
        if (v.toUpperCase(Locale.ROOT).contains(MARK)) {
            throw new InvalidSettingException(Settings.PREFIX + name,
                    "still holds the placeholder " + MARK + ": set a real value (deploy/README.md, section 2)");
        }
        if (LISTS.contains(name) && List.of(v.split(",", -1)).stream().anyMatch(String::isBlank)) {
            throw new InvalidSettingException(Settings.PREFIX + name,
                    "has an empty entry: remove the stray comma (an empty value is never a valid token or secret)");
        }
    }
}
