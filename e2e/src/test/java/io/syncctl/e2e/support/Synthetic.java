package io.syncctl.e2e.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests for the synthetic source (devkit/README.md): its config options and configured catalogs,
 * as a console application would send them.
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** A config with {@code options} as key, value pairs. */
    public static Map<String, Object> config(Object... options) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < options.length; i += 2) {
            c.put((String) options[i], options[i + 1]);
        }
        return c;
    }

    /** A configured catalog of streams {@code stream_1..stream_n}, incremental (cursor updated_at, key id) or full refresh. */
    public static Map<String, Object> catalog(int streams, boolean incremental) {
        List<Object> configured = new ArrayList<>();
        for (int i = 1; i <= streams; i++) {
            Map<String, Object> stream = new LinkedHashMap<>();
            stream.put("name", "stream_" + i);
            stream.put("json_schema", Map.of("type", "object", "properties", Map.of(
                    "id", Map.of("type", "integer"),
                    "updated_at", Map.of("type", "string", "format", "date-time"),
                    "name", Map.of("type", "string"),
                    "amount", Map.of("type", "number"),
                    "active", Map.of("type", "boolean"),
                    "payload", Map.of("type", "string"))));
            stream.put("supported_sync_modes", List.of("full_refresh", "incremental"));
            stream.put("source_defined_cursor", true);
            stream.put("default_cursor_field", List.of("updated_at"));
            stream.put("source_defined_primary_key", List.of(List.of("id")));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("stream", stream);
            c.put("sync_mode", incremental ? "incremental" : "full_refresh");
            c.put("destination_sync_mode", incremental ? "append_dedup" : "overwrite");
            c.put("cursor_field", List.of("updated_at"));
            c.put("primary_key", List.of(List.of("id")));
            configured.add(c);
        }
        return Map.of("streams", configured);
    }

    /** The body of a /read: config, catalog, optional state, destination. */
    public static Map<String, Object> readBody(Map<String, Object> config, Map<String, Object> catalog, Object state,
                                               Map<String, Object> destination) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("config", config);
        body.put("catalog", catalog);
        if (state != null) {
            body.put("state", state);
        }
        body.put("destinationConfig", destination);
        return body;
    }
}
