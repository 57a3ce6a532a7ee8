package io.syncctl.api.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.destination.DestinationTypes;
import io.syncctl.shared.destination.InvalidDestinationException;
import io.syncctl.shared.protocol.MessageParser;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Query-parameter rules (CONTRACT section 1). {@code package} and {@code version} end up in an image
 * name and are checked strictly; the client's identifiers and names are free text as the console
 * sends them, bounded so that no table, index, job or log line can be blown up by them. Where a value
 * must become a Kubernetes name or label the worker derives a safe form; nothing is refused here only
 * because Kubernetes could not hold it. Every refusal names the parameter.
 *
 * <ul>
 *   <li>{@code package}: an image repository reference per the Docker reference grammar, without
 *       tag or digest: optional registry host (with optional port) then lowercase path components
 *       separated by {@code /}; at most 255 characters.</li>
 *   <li>{@code version}: an image tag, {@code [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}}.</li>
 *   <li>{@code taskId}, {@code syncId}, {@code storageKey}: 1 to 1,024 characters without control
 *       characters (the console's check key {@code <workspaceId>_<serviceId>_<md5>_<queryId>} is about
 *       110). At most 1,024 bytes as UTF-8 too: PostgreSQL's b-tree indexes (ours and the console's,
 *       e.g. {@code source_task_pkey}) hold at most about 2,700 bytes per entry, two ids in one.</li>
 *   <li>{@code namespace}, {@code tableNamePrefix}: up to 256 characters without control characters,
 *       macros such as {@code ${LEGACY}} and {@code ${SOURCE_NAMESPACE}} included.</li>
 *   <li>{@code startedBy}: up to 4,096 characters without control characters.</li>
 * </ul>
 */
public final class Validation {
    private static final String DOMAIN_COMPONENT = "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]{1,5})?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PACKAGE = Pattern.compile("^(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*$");
    private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    static final int MAX_ID = 1024;
    static final int MAX_NAME = 256;
    static final int MAX_STARTED_BY = 4096;

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

    /** {@code taskId}, {@code syncId}, {@code storageKey}: see the class comment. */
    public static String id(String name, String value) {
        required(name, value);
        if (value.length() > MAX_ID || hasControl(value) || value.getBytes(StandardCharsets.UTF_8).length > MAX_ID) {
            throw ApiException.badRequest("query parameter '" + name + "' must be 1 to " + MAX_ID
                    + " characters (at most " + MAX_ID + " bytes as UTF-8) without control characters");
        }
        return value;
    }

    static void connectorType(String value) {
        if (value != null && !value.isEmpty() && !value.equals("airbyte")) {
            throw ApiException.badRequest("query parameter 'connectorType' must be 'airbyte' (the only supported type)");
        }
    }

    /**
     * A read's {@code destinationConfig} (already valid JSON): a type the sidecar writes, with the fields that
     * type needs ({@link DestinationTypes}). Refused here, the console shows the reason to its user at once
     * instead of a task failing in its pod.
     */
    static String destination(String configText) {
        try {
            DestinationTypes.check(MessageParser.mapper().readTree(configText));
        } catch (InvalidDestinationException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("'destinationConfig' in the request body is not valid JSON");
        }
        return configText;
    }

    static String tableNamePrefix(String value) {
        return text("tableNamePrefix", value, MAX_NAME);
    }

    static String namespace(String value) {
        return text("namespace", value, MAX_NAME);
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
        return text("startedBy", value, MAX_STARTED_BY);
    }

    /** Optional free text: null when absent or empty. */
    private static String text(String name, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > max || hasControl(value)) {
            throw ApiException.badRequest("query parameter '" + name + "' must be at most " + max
                    + " characters without control characters");
        }
        return value;
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
