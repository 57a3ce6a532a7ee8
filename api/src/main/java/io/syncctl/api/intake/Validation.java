package io.syncctl.api.intake;

import io.syncctl.api.errors.ApiException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Query-parameter rules. Values end up in image names, Kubernetes names, labels and environment
 * variables, so they are checked strictly here and every refusal names the parameter.
 *
 * <ul>
 *   <li>{@code package}: an image repository reference per the Docker reference grammar, without
 *       tag or digest: optional registry host (with optional port) then lowercase path components
 *       separated by {@code /}; at most 255 characters.</li>
 *   <li>{@code version}: an image tag, {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}.</li>
 *   <li>{@code taskId}, {@code syncId}, {@code storageKey}: a valid Kubernetes label value, non-empty:
 *       1-63 characters of letters, digits, {@code - _ .}, starting and ending with a letter or digit
 *       (UUIDs and cuids fit).</li>
 * </ul>
 */
public final class Validation {
    private static final String DOMAIN_COMPONENT = "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]{1,5})?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PACKAGE = Pattern.compile("^(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*$");
    private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$");
    private static final Pattern TABLE_NAME_PREFIX = Pattern.compile("^[A-Za-z0-9_]{0,63}$");
    private static final Pattern NAMESPACE = Pattern.compile("^[A-Za-z0-9_.-]{0,128}$");
    private static final int MAX_STARTED_BY = 1024;

    private Validation() {
    }

    public static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest("missing required query parameter '" + name + "'");
        }
        return value;
    }

    public static String pkg(String value) {
        required("package", value);
        if (value.length() > 255 || !PACKAGE.matcher(value).matches()) {
            throw ApiException.badRequest("query parameter 'package' must be an image repository such as "
                    + "airbyte/source-postgres or registry.example.com:5000/team/source-x (lowercase, no tag)");
        }
        return value;
    }

    static String version(String value) {
        required("version", value);
        if (!VERSION.matcher(value).matches()) {
            throw ApiException.badRequest("query parameter 'version' must be an image tag: up to 128 letters, digits, "
                    + "'_', '.' or '-', not starting with '.' or '-'");
        }
        return value;
    }

    public static String id(String name, String value) {
        required(name, value);
        if (!ID.matcher(value).matches()) {
            throw ApiException.badRequest("query parameter '" + name + "' must be 1-63 letters, digits, '-', '_' or '.', "
                    + "starting and ending with a letter or digit");
        }
        return value;
    }

    static void connectorType(String value) {
        if (value != null && !value.isEmpty() && !value.equals("airbyte")) {
            throw ApiException.badRequest("query parameter 'connectorType' must be 'airbyte' (the only supported type)");
        }
    }

    static String tableNamePrefix(String value) {
        return optional("tableNamePrefix", value, TABLE_NAME_PREFIX, "must be at most 63 letters, digits or '_'");
    }

    static String namespace(String value) {
        return optional("namespace", value, NAMESPACE, "must be at most 128 letters, digits, '_', '.' or '-'");
    }

    /** {@code true}/{@code false} (any case), normalised to lower case; null when absent. */
    static String flag(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw ApiException.badRequest("query parameter '" + name + "' must be true or false");
        }
        return v;
    }

    static String startedBy(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_STARTED_BY || value.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.badRequest("query parameter 'startedBy' must be at most " + MAX_STARTED_BY
                    + " characters without control characters");
        }
        return value;
    }

    private static String optional(String name, String value, Pattern pattern, String rule) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            throw ApiException.badRequest("query parameter '" + name + "' " + rule);
        }
        return value;
    }
}
