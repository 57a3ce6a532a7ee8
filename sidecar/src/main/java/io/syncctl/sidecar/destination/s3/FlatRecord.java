package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record's data flattened as Bulker's file storage flattens it for {@code ndjson_flat} and {@code csv}
 * ({@code implementations/flattener.go}): nested objects become {@code parent_child} fields in order, arrays
 * and scalars are kept, nulls too, a later field of the same name takes the earlier one's place, and a
 * top-level empty name becomes {@code _unnamed}.
 */
final class FlatRecord {
    enum Kind { STRING, NUMBER, BOOLEAN, NULL, ARRAY }

    /** A value: decoded text for strings, JSON text for the rest. */
    record Value(Kind kind, String text) {
    }

    static final JsonFactory JSON = new JsonFactory();

    private FlatRecord() {
    }

    static Map<String, Value> of(byte[] json, int off, int len) throws IOException {
        Map<String, Value> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("record data is not a JSON object");
            }
            flatten(p, "", out);
        }
        Value unnamed = out.remove("");
        if (unnamed != null) {
            out.put("_unnamed", unnamed);
        }
        return out;
    }

    /** Reads the fields of the object the parser is in, up to its end. */
    private static void flatten(JsonParser p, String prefix, Map<String, Value> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix.isEmpty() ? p.currentName() : prefix + "_" + p.currentName();
            JsonToken t = p.nextToken();
            switch (t) {
                case START_OBJECT -> flatten(p, key, out);
                case START_ARRAY -> out.put(key, new Value(Kind.ARRAY, compact(p)));
                case VALUE_STRING -> out.put(key, new Value(Kind.STRING, p.getText()));
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.put(key, new Value(Kind.NUMBER, p.getText()));
                case VALUE_TRUE, VALUE_FALSE -> out.put(key, new Value(Kind.BOOLEAN, p.getText()));
                default -> out.put(key, new Value(Kind.NULL, "null"));
            }
        }
    }

    private static String compact(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }

    /** One JSON line of the flattened fields. */
    static void writeJson(Map<String, Value> fields, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Value> f : fields.entrySet()) {
            g.writeFieldName(f.getKey());
            if (f.getValue().kind() == Kind.STRING) {
                g.writeString(f.getValue().text());
            } else {
                g.writeRawValue(f.getValue().text());
            }
        }
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
