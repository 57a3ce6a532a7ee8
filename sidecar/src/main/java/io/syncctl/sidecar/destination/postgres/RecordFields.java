package io.syncctl.sidecar.destination.postgres;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.protocol.RawJson;

import java.io.IOException;
import java.util.Arrays;

/**
 * The top-level fields of one record, read in one streaming pass over its raw JSON. Values are not
 * decoded into strings: each keeps the slice of raw JSON it came from, which is exactly its text for
 * numbers, booleans and strings without escapes (UTF-8 bytes never contain a quote or backslash inside
 * a multi-byte character). Only strings with escapes are decoded. Reused across records.
 */
final class RecordFields {
    private String[] names = new String[16];
    private JsonToken[] tokens = new JsonToken[16];
    private String[] decoded = new String[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int size;
    byte[] source;

    void read(RawJson data) throws IOException {
        size = 0;
        source = data.bytes();
        try (JsonParser p = MessageParser.JSON.createParser(data.bytes(), data.offset(), data.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("record data is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                // Offsets are relative to the parsed range; make them absolute in the source array.
                int start = data.offset() + (int) p.currentTokenLocation().getByteOffset();
                int end;
                String text = null;
                if (t == JsonToken.VALUE_STRING) {
                    end = endOfString(start);
                    if (end < 0) {
                        end = -end;
                        text = p.getText();
                    }
                } else {
                    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                        p.skipChildren();
                    }
                    end = data.offset() + (int) p.currentLocation().getByteOffset();
                }
                add(name, t, text, start, end);
            }
        }
    }

    /** The offset after the closing quote of the string starting at {@code start}; negative when it has escapes. */
    private int endOfString(int start) throws IOException {
        boolean escaped = false;
        for (int i = start + 1; i < source.length; i++) {
            byte b = source[i];
            if (b == '"') {
                return escaped ? -(i + 1) : i + 1;
            }
            if (b == '\\') {
                escaped = true;
                i++;
            }
        }
        throw new IOException("unterminated string in record data");
    }

    private void add(String name, JsonToken t, String text, int start, int end) {
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            tokens = Arrays.copyOf(tokens, n);
            decoded = Arrays.copyOf(decoded, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        names[size] = name;
        tokens[size] = t;
        decoded[size] = text;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    int size() {
        return size;
    }

    /** Field names come from Jackson's symbol table: the same name is the same String instance. */
    String name(int i) {
        return names[i];
    }

    JsonToken token(int i) {
        return tokens[i];
    }

    boolean isEmptyString(int i) {
        return tokens[i] == JsonToken.VALUE_STRING && ends[i] - starts[i] == 2;
    }

    /** Writes the value as text (strings unquoted and unescaped) or, when {@code json}, as raw JSON. */
    void write(int i, boolean json, CopyRows rows) {
        JsonToken t = tokens[i];
        if (t == JsonToken.VALUE_STRING && !json) {
            if (decoded[i] != null) {
                rows.field(decoded[i]);
            } else {
                rows.field(source, starts[i] + 1, ends[i] - starts[i] - 2);
            }
        } else {
            rows.field(source, starts[i], ends[i] - starts[i]);
        }
    }
}
