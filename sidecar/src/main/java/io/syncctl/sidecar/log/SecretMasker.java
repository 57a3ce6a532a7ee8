package io.syncctl.sidecar.log;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces secret values wherever they appear in text bound for task_log, result descriptions or errors.
 * A value is secret when its field is marked {@code airbyte_secret} anywhere in the connector's spec, or
 * when a word of its key names a credential (password, token, secret, key, ...), at any depth of the
 * config; "key" after a word naming a data key ({@code primary_key}, {@code cursor_key}) does not count.
 * Everything beneath a secret key (nested objects, arrays) counts as secret.
 */
public final class SecretMasker {
    public static final String MASK = "****";
    /** Words of a key name that make its value a credential ({@code db_password}, {@code accessToken}, ...). */
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "passphrase", "token",
            "secret", "secrets", "credential", "credentials", "private", "apikey");
    /**
     * "key" is a credential ({@code api_key}, {@code access_key_id}, {@code key}) unless a word before it
     * names a data key: masking the value of {@code primary_key} ("id") would garble every log line.
     */
    private static final Set<String> DATA_KEY_WORDS = Set.of("primary", "sort", "partition", "cursor", "shard",
            "foreign", "unique", "distribution", "cluster", "clustering", "dedup", "deduplication", "row", "hash",
            "range", "join", "lookup", "object", "s3", "file", "path", "prefix");
    /** Splits a key name into lower-case words: snake_case, kebab-case, dotted and camelCase. */
    private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern TRAILING_DIGITS = Pattern.compile("[0-9]+$");
    /** Shorter values would mask ordinary words all over the log; nothing that short is a real credential. */
    private static final int MIN_LENGTH = 3;

    private final List<String> secrets;

    private SecretMasker(List<String> secrets) {
        this.secrets = secrets;
    }

    /**
     * @param spec    the connector's spec (or its {@code connectionSpecification}), or null when unknown
     * @param configs connector and destination configs to take secret values from
     * @param extra   further secret values (e.g. the database password)
     */
    public static SecretMasker of(JsonNode spec, List<JsonNode> configs, List<String> extra) {
        Set<String> secretFields = new HashSet<>();
        if (spec != null) {
            collectSecretFields(spec, secretFields);
        }
        Set<String> values = new HashSet<>();
        for (JsonNode config : configs) {
            if (config != null) {
                collectValues(config, false, secretFields, values);
            }
        }
        for (String e : extra) {
            if (e != null) {
                values.add(e);
            }
        }
        List<String> all = new ArrayList<>();
        for (String v : values) {
            if (v.length() >= MIN_LENGTH) {
                all.add(v);
                String escaped = jsonEscaped(v);
                if (!escaped.equals(v)) {
                    all.add(escaped);
                }
            }
        }
        // Longest first: a secret containing another is replaced whole.
        all.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(List.copyOf(all));
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** Property names marked {@code "airbyte_secret": true} anywhere in the spec (including oneOf branches). */
    private static void collectSecretFields(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            JsonNode props = n.get("properties");
            if (props != null && props.isObject()) {
                for (Map.Entry<String, JsonNode> p : props.properties()) {
                    if (p.getValue().path("airbyte_secret").asBoolean(false)) {
                        out.add(p.getKey());
                    }
                }
            }
            for (JsonNode child : n) {
                collectSecretFields(child, out);
            }
        } else if (n.isArray()) {
            for (JsonNode child : n) {
                collectSecretFields(child, out);
            }
        }
    }

    private static void collectValues(JsonNode n, boolean secret, Set<String> secretFields, Set<String> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> f : n.properties()) {
                boolean s = secret || secretFields.contains(f.getKey()) || credentialName(f.getKey());
                collectValues(f.getValue(), s, secretFields, out);
            }
        } else if (n.isArray()) {
            for (JsonNode child : n) {
                collectValues(child, secret, secretFields, out);
            }
        } else if (secret && n.isValueNode() && !n.isNull() && !n.isBoolean()) {
            out.add(n.asText());
        }
    }

    /** Whether a config key's name says its value is a credential (see {@link #SECRET_WORDS}). */
    static boolean credentialName(String key) {
        String[] words = WORD_BREAK.split(key);
        for (int i = 0; i < words.length; i++) {
            String w = word(words[i]);
            if (SECRET_WORDS.contains(w)
                    || w.equals("key") && (i == 0 || !DATA_KEY_WORDS.contains(words[i - 1].toLowerCase(Locale.ROOT)))) {
                return true;
            }
        }
        return false;
    }

    /** Lower case without trailing digits: {@code password2} is a password. */
    private static String word(String w) {
        return TRAILING_DIGITS.matcher(w.toLowerCase(Locale.ROOT)).replaceAll("");
    }

    private static String jsonEscaped(String v) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(v));
    }
}
