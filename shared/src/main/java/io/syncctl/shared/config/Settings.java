package io.syncctl.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.sidecar.SidecarSettings;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@code SYNCCTL_*} setting of CONTRACT section 5, typed. Built once at startup from the
 * environment by {@link #from(Map, Role)}; a missing or malformed required setting throws
 * {@link InvalidSettingException} naming it, so startup stops with one clear line.
 */
public record Settings(
        DatabaseUrl databaseUrl,
        /* raw URL handed to task pods through their Secret; never logged */
        String sidecarDatabaseUrl,
        int httpPort,
        /* SYNCCTL_AUTH_TOKENS: salt.hash entries (or plain ones) */
        List<String> authTokens,
        /* SYNCCTL_RAW_AUTH_TOKENS: plain tokens */
        List<String> rawAuthTokens,
        /* SYNCCTL_TOKEN_SECRET split at commas, verbatim; [""] when unset */
        List<String> tokenSecrets,
        String sidecarImage,
        String kubernetesClientConfig,
        String kubernetesContext,
        String kubernetesNamespace,
        Map<String, String> kubernetesNodeSelector,
        int containerStatusCheckSeconds,
        int containerInitTimeoutSeconds,
        int taskTimeoutHours,
        String instanceId,
        byte[] payloadKey,
        /* SYNCCTL_PAYLOAD_KEYS_OLD: keys that only decrypt (payloads stored before a key rotation) */
        List<byte[]> payloadKeysOld,
        long maxRequestBytes,
        Optional<Integer> dashboardPort,
        String dashboardUsername,
        String dashboardPassword,
        Duration sidecarIdleTimeout,
        /* our own tables (task table, JobRunr's queue, migration history): never in the result schema */
        String internalSchema,
        /* SYNCCTL_ALLOWED_IMAGES: the package images the api accepts; empty = any */
        ImagePatterns allowedImages,
        /* SYNCCTL_INTAKE_MAX_BYTES: payload bytes that may wait in the api's intake queue */
        long intakeMaxBytes,
        /* SYNCCTL_DASHBOARD_BIND: the address the dashboard listens on (loopback by default) */
        String dashboardBind,
        /* SYNCCTL_SIDECAR_MAX_LINE_BYTES, SYNCCTL_TASK_LOG_MAX_LINES: handed to every task pod's sidecar */
        SidecarSettings.Limits sidecarLimits) {

    public static final String PREFIX = "SYNCCTL_";
    public static final String DEFAULT_INTERNAL_SCHEMA = "syncctl";
    /** Bytes of bodies that may wait for the intake's writers before the api answers 503. */
    public static final long DEFAULT_INTAKE_MAX_BYTES = 64L * 1024 * 1024;
    /** Reach the dashboard with kubectl port-forward; another address exposes it to the network. */
    public static final String DEFAULT_DASHBOARD_BIND = "127.0.0.1";
    /** JobRunr's table prefix needs a name that is the same quoted or not: lower-case, unquoted. */
    private static final java.util.regex.Pattern SCHEMA_NAME = java.util.regex.Pattern.compile("[a-z_][a-z0-9_$]{0,62}");

    /** Which service reads the settings: each requires a different set. */
    public enum Role { API, WORKER }

    /**
     * Each role reads only the settings it uses (the others keep their defaults), so a setting meant
     * for the other service (e.g. {@code SYNCCTL_DASHBOARD_PORT} in an env file shared by api and
     * worker) never stops this one from starting.
     */
    public static Settings from(Map<String, String> env, Role role) {
        Reader r = new Reader(env);
        Reader worker = role == Role.WORKER ? r : new Reader(Map.of());
        Reader api = role == Role.API ? r : new Reader(Map.of());
        Placeholders.refuse(env, role);
        String rawDb = r.required("DATABASE_URL");
        DatabaseUrl db = r.parse("DATABASE_URL", rawDb, DatabaseUrl::parse);
        String sidecarDb = worker.optional("SIDECAR_DATABASE_URL").orElse(rawDb);
        worker.parse("SIDECAR_DATABASE_URL", sidecarDb, DatabaseUrl::parse);
        String sidecarImage = role == Role.WORKER ? r.required("SIDECAR_IMAGE") : null;
        byte[] payloadKey = r.parse("PAYLOAD_KEY", r.required("PAYLOAD_KEY"), Settings::payloadKey);
        Optional<Integer> dashboardPort = worker.optional("DASHBOARD_PORT").map(v -> r.parse("DASHBOARD_PORT", v, Settings::port));
        String dashboardPassword = worker.optional("DASHBOARD_PASSWORD").orElse(null);
        if (dashboardPort.isPresent() && dashboardPassword == null) {
            throw new InvalidSettingException(PREFIX + "DASHBOARD_PASSWORD",
                    "is required when SYNCCTL_DASHBOARD_PORT is set (the dashboard is never served without a password)");
        }
        String internalSchema = r.optional("INTERNAL_SCHEMA").map(String::trim).orElse(DEFAULT_INTERNAL_SCHEMA);
        r.parse("INTERNAL_SCHEMA", internalSchema, v -> internalSchema(v, db));
        return new Settings(
                db,
                sidecarDb,
                r.optional("HTTP_PORT").map(v -> r.parse("HTTP_PORT", v, Settings::port)).orElse(3043),
                api.optional("AUTH_TOKENS").map(Settings::tokens).orElse(List.of()),
                api.optional("RAW_AUTH_TOKENS").map(Settings::tokens).orElse(List.of()),
                api.optional("TOKEN_SECRET").map(v -> List.of(v.split(",", -1))).orElse(List.of("")),
                sidecarImage,
                worker.optional("KUBERNETES_CLIENT_CONFIG").orElse(null),
                worker.optional("KUBERNETES_CONTEXT").orElse(null),
                worker.optional("KUBERNETES_NAMESPACE").orElse("default"),
                worker.optional("KUBERNETES_NODE_SELECTOR").map(v -> r.parse("KUBERNETES_NODE_SELECTOR", v, Settings::stringMap)).orElse(Map.of()),
                worker.positiveInt("CONTAINER_STATUS_CHECK_SECONDS", 10),
                worker.positiveInt("CONTAINER_INIT_TIMEOUT_SECONDS", 180),
                worker.positiveInt("TASK_TIMEOUT_HOURS", 48),
                r.optional("INSTANCE_ID").orElseGet(InstanceId::loadOrCreate),
                payloadKey,
                r.optional("PAYLOAD_KEYS_OLD").map(v -> r.parse("PAYLOAD_KEYS_OLD", v, Settings::payloadKeys)).orElse(List.of()),
                api.optional("MAX_REQUEST_BYTES").map(v -> r.parse("MAX_REQUEST_BYTES", v, Settings::positiveLong)).orElse(16L * 1024 * 1024),
                dashboardPort,
                worker.optional("DASHBOARD_USERNAME").orElse("admin"),
                dashboardPassword,
                worker.optional("SIDECAR_IDLE_TIMEOUT").map(v -> r.parse("SIDECAR_IDLE_TIMEOUT", v, DurationSetting::parse)).orElse(Duration.ofHours(1)),
                internalSchema,
                api.optional("ALLOWED_IMAGES").map(v -> r.parse("ALLOWED_IMAGES", v, ImagePatterns::parse)).orElse(ImagePatterns.ANY),
                api.optional("INTAKE_MAX_BYTES").map(v -> r.parse("INTAKE_MAX_BYTES", v, Settings::positiveLong)).orElse(DEFAULT_INTAKE_MAX_BYTES),
                worker.optional("DASHBOARD_BIND").map(String::trim).orElse(DEFAULT_DASHBOARD_BIND),
                new SidecarSettings.Limits(
                        worker.optional("SIDECAR_MAX_LINE_BYTES").map(v -> r.parse("SIDECAR_MAX_LINE_BYTES", v, SidecarSettings.Limits::lineBytes))
                                .orElse(SidecarSettings.Limits.DEFAULTS.maxLineBytes()),
                        worker.optional("TASK_LOG_MAX_LINES").map(v -> r.parse("TASK_LOG_MAX_LINES", v, SidecarSettings.Limits::positive))
                                .orElse(SidecarSettings.Limits.DEFAULTS.taskLogMaxLines())));
    }

    /** Never prints secrets: tokens, passwords and the payload key are left out. */
    @Override
    public String toString() {
        return "Settings[database=" + databaseUrl + ", httpPort=" + httpPort + ", authTokens=" + (authTokens.size() + rawAuthTokens.size())
                + ", sidecarImage=" + sidecarImage + ", namespace=" + kubernetesNamespace
                + ", instanceId=" + instanceId + ", internalSchema=" + internalSchema + "]";
    }

    static byte[] payloadKey(String v) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be base64 (make one with: openssl rand -base64 32)");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("must decode to 32 bytes, got " + key.length + " (make one with: openssl rand -base64 32)");
        }
        return key;
    }

    /** Comma-separated base64 keys, each as {@link #payloadKey}. */
    static List<byte[]> payloadKeys(String v) {
        List<byte[]> keys = new java.util.ArrayList<>();
        String[] parts = v.split(",");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            try {
                keys.add(payloadKey(parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key " + (i + 1) + " " + e.getMessage());
            }
        }
        return List.copyOf(keys);
    }

    static String internalSchema(String v, DatabaseUrl db) {
        if (!SCHEMA_NAME.matcher(v).matches()) {
            throw new IllegalArgumentException("must be a lower-case schema name such as syncctl (letters, digits, _)");
        }
        if (v.equals(db.schema())) {
            throw new IllegalArgumentException("must differ from the result schema '" + db.schema()
                    + "' (search_path of SYNCCTL_DATABASE_URL): the console drops every table it does not know there");
        }
        return v;
    }

    static int port(String v) {
        int p = Integer.parseInt(v.trim());
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("must be a port between 1 and 65535");
        }
        return p;
    }

    static long positiveLong(String v) {
        long n = Long.parseLong(v.trim());
        if (n <= 0) {
            throw new IllegalArgumentException("must be a positive number");
        }
        return n;
    }

    static List<String> tokens(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Map<String, String> stringMap(String v) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(v);
        } catch (Exception e) {
            throw new IllegalArgumentException("must be a JSON object such as {\"pool\":\"syncs\"}");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("must be a JSON object such as {\"pool\":\"syncs\"}");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("must map names to strings");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return Map.copyOf(map);
    }

    /** Reads {@code SYNCCTL_<name>} and turns parse failures into one line naming the variable. */
    private record Reader(Map<String, String> env) {
        Optional<String> optional(String name) {
            return Optional.ofNullable(env.get(PREFIX + name)).filter(v -> !v.isBlank());
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new InvalidSettingException(PREFIX + name, "is required but not set"));
        }

        <T> T parse(String name, String value, Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(PREFIX + name, "must be a number");
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(PREFIX + name, e.getMessage());
            }
        }

        int positiveInt(String name, int fallback) {
            return optional(name).map(v -> parse(name, v, s -> (int) Math.min(Integer.MAX_VALUE, positiveLong(s)))).orElse(fallback);
        }
    }
}
