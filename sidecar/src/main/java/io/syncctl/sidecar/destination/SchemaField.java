package io.syncctl.sidecar.destination;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A top-level field of a stream as its json_schema declares it. */
public record SchemaField(String name, FieldType type) {

    public static List<SchemaField> of(JsonNode jsonSchema) {
        List<SchemaField> fields = new ArrayList<>();
        JsonNode props = jsonSchema == null ? null : jsonSchema.get("properties");
        if (props != null && props.isObject()) {
            for (Map.Entry<String, JsonNode> p : props.properties()) {
                fields.add(new SchemaField(p.getKey(), FieldType.ofSchema(p.getValue())));
            }
        }
        return fields;
    }
}
