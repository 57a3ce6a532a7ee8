package io.syncctl.sidecar.destination;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The destination-independent type of a field, from a JSON schema or from a value the schema did not declare. */
public enum FieldType {
    TEXT, TIMESTAMP, INTEGER, NUMBER, BOOLEAN, JSON;

    /** The type a json_schema property declares ({@code "type"} may be a list including {@code "null"}). */
    public static FieldType ofSchema(JsonNode property) {
        List<String> types = new ArrayList<>();
        JsonNode t = property.get("type");
        if (t != null && t.isTextual()) {
            types.add(t.asText());
        } else if (t != null && t.isArray()) {
            t.forEach(e -> {
                if (!e.asText().equals("null")) {
                    types.add(e.asText());
                }
            });
        }
        if (types.isEmpty()) {
            return property.has("properties") || property.has("items") || property.has("oneOf")
                    || property.has("anyOf") ? JSON : TEXT;
        }
        if (types.size() > 1) {
            return types.contains("object") || types.contains("array") ? JSON : TEXT;
        }
        String format = property.path("format").asText("");
        String airbyteType = property.path("airbyte_type").asText("");
        return switch (types.get(0)) {
            case "string" -> format.equals("date-time") || format.equals("date") || airbyteType.startsWith("timestamp")
                    ? TIMESTAMP : TEXT;
            case "integer" -> INTEGER;
            case "number" -> airbyteType.equals("integer") ? INTEGER : NUMBER;
            case "boolean" -> BOOLEAN;
            case "object", "array" -> JSON;
            default -> TEXT;
        };
    }

    /** The type of a field the schema did not declare, from its first non-null value. */
    public static FieldType ofValue(JsonToken token) {
        return switch (token) {
            case VALUE_NUMBER_INT -> INTEGER;
            case VALUE_NUMBER_FLOAT -> NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
            case START_OBJECT, START_ARRAY -> JSON;
            default -> TEXT;
        };
    }
}
