package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.syncctl.devkit.source.AirbyteOutput.JSON;

/** What discover answers: the streams of a config and the schema every one of them shares. */
final class SyntheticCatalog {
    private SyntheticCatalog() {
    }

    static ObjectNode of(SyntheticConfig config) {
        ObjectNode catalog = JSON.createObjectNode();
        ArrayNode streams = catalog.putArray("streams");
        for (int i = 1; i <= config.streams(); i++) {
            streams.add(stream(SyntheticConfig.streamName(i), config.incremental()));
        }
        return catalog;
    }

    static ObjectNode stream(String name, boolean incremental) {
        ObjectNode stream = JSON.createObjectNode().put("name", name);
        stream.set("json_schema", jsonSchema());
        ArrayNode modes = stream.putArray("supported_sync_modes").add("full_refresh");
        if (incremental) {
            modes.add("incremental");
            stream.put("source_defined_cursor", true);
            stream.putArray("default_cursor_field").add("updated_at");
            stream.putArray("source_defined_primary_key").addArray().add("id");
        }
        return stream;
    }

    static ObjectNode jsonSchema() {
        ObjectNode schema = JSON.createObjectNode()
                .put("$schema", "http://json-schema.org/draft-07/schema#")
                .put("type", "object");
        ObjectNode p = schema.putObject("properties");
        p.putObject("id").put("type", "integer");
        p.putObject("updated_at").put("type", "string").put("format", "date-time");
        p.putObject("name").put("type", "string");
        p.putObject("amount").put("type", "number");
        p.putObject("active").put("type", "boolean");
        p.putObject("payload").put("type", "string").put("description", "padding that brings the record to record_bytes");
        return schema;
    }
}
