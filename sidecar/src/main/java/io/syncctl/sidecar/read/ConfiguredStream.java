package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.sidecar.destination.SchemaField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One stream of the configured catalog ({@code catalog.json}).
 *
 * @param namespace   destination namespace (schema), null for the destination's default ({@link TableNaming})
 * @param tableName   {@code table_name} of the configured stream (or of its {@code stream}), else as {@link TableNaming} says
 * @param primaryKey  the configured {@code primary_key}, else the source-defined one; nested paths joined by {@code _}
 * @param incremental {@code sync_mode} is {@code incremental}
 */
public record ConfiguredStream(StreamDescriptor descriptor, String namespace, String tableName, List<SchemaField> fields,
                               List<String> primaryKey, boolean incremental) {

    /**
     * The streams of a configured catalog, by stream key, in catalog order, named by the read's
     * {@code namespace} option and {@code tableNamePrefix}.
     */
    public static Map<String, ConfiguredStream> parse(JsonNode catalog, String namespaceOption, String tableNamePrefix) {
        if (catalog == null || !catalog.path("streams").isArray()) {
            throw new IllegalArgumentException("catalog.json has no streams array");
        }
        Map<String, ConfiguredStream> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode configured : catalog.path("streams")) {
            JsonNode s = configured.path("stream");
            String name = s.path("name").asText("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("catalog.json stream " + i + " has no stream.name");
            }
            StreamDescriptor d = new StreamDescriptor(s.path("namespace").asText(null), name);
            String table = firstText(configured.get("table_name"), s.get("table_name"));
            List<String> pk = keys(configured.get("primary_key"));
            if (pk.isEmpty()) {
                pk = keys(s.get("source_defined_primary_key"));
            }
            TableNaming.Target target = TableNaming.of(namespaceOption, tableNamePrefix, d, table);
            out.put(d.key(), new ConfiguredStream(d, target.namespace(), target.table(),
                    SchemaField.of(s.get("json_schema")), pk,
                    "incremental".equals(configured.path("sync_mode").asText(""))));
            i++;
        }
        return out;
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n != null && n.isTextual() && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return null;
    }

    private static List<String> keys(JsonNode pk) {
        List<String> out = new ArrayList<>();
        if (pk != null && pk.isArray()) {
            for (JsonNode path : pk) {
                if (path.isArray() && !path.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    path.forEach(p -> parts.add(p.asText()));
                    out.add(String.join("_", parts));
                } else if (path.isTextual()) {
                    out.add(path.asText());
                }
            }
        }
        return out;
    }
}
