package io.syncctl.sidecar.destination.postgres;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.protocol.RawJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level fields of one record, read in one streaming pass over its raw JSON. Each value keeps both
 * forms a column may need: its text (strings unescaped, numbers and booleans as written) and the slice of
 * raw JSON it came from (for jsonb columns, and as the text of objects and arrays). Reused across records.
 */
final class RecordFields {
    final List<String> names = new ArrayList<>();
    final List<JsonToken> tokens = new ArrayList<>();
    final List<String> texts = new ArrayList<>();
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    byte[] source;

    void read(RawJson data) throws IOException {
        names.clear();
        tokens.clear();
        texts.clear();
        source = data.bytes();
        try (JsonParser p = MessageParser.JSON.createParser(data.bytes(), data.offset(), data.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("record data is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                int start = (int) p.currentTokenLocation().getByteOffset();
                String text = switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        p.skipChildren();
                        yield null;
                    }
                    case VALUE_NULL -> null;
                    default -> p.getText();
                };
                int end = (int) p.currentLocation().getByteOffset();
                int i = names.size();
                if (i == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, i * 2);
                    ends = java.util.Arrays.copyOf(ends, i * 2);
                }
                // Offsets are relative to the parsed range; make them absolute in the source array.
                starts[i] = data.offset() + start;
                ends[i] = data.offset() + end;
                names.add(name);
                tokens.add(t);
                texts.add(text);
            }
        }
    }

    int size() {
        return names.size();
    }

    int start(int i) {
        return starts[i];
    }

    int length(int i) {
        return ends[i] - starts[i];
    }
}
