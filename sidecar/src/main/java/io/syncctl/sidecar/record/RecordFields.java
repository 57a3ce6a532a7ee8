package io.syncctl.sidecar.record;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.protocol.RawJson;

import java.io.IOException;
import java.util.Arrays;

/**
 * The top-level fields of one record's {@code data}, each kept as the slice of raw JSON it came in: that
 * slice is exactly the value's text for numbers, booleans and strings without escapes (UTF-8 bytes never
 * contain a quote or backslash inside a multi-byte character). Filled either by {@link #read(RawJson)}
 * (the general path: Jackson's streaming parser, strings with escapes decoded by Jackson) or by
 * {@link RecordScanner} (the fast path: strings with escapes are left raw and marked, and decoded straight
 * into the destination's encoding). Reused across records.
 */
public final class RecordFields {
    private String[] names = new String[16];
    private JsonToken[] tokens = new JsonToken[16];
    private String[] decoded = new String[16];
    private boolean[] escaped = new boolean[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int size;
    private byte[] source;

    /** The general path: reads {@code data} (a JSON object) with Jackson. */
    public RecordFields read(RawJson data) throws IOException {
        reset(data.bytes());
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
                add(name, t, text, false, start, end);
            }
        }
        return this;
    }

    /** The offset after the closing quote of the string starting at {@code start}; negative when it has escapes. */
    private int endOfString(int start) throws IOException {
        boolean hasEscapes = false;
        for (int i = start + 1; i < source.length; i++) {
            byte b = source[i];
            if (b == '"') {
                return hasEscapes ? -(i + 1) : i + 1;
            }
            if (b == '\\') {
                hasEscapes = true;
                i++;
            }
        }
        throw new IOException("unterminated string in record data");
    }

    void reset(byte[] source) {
        this.source = source;
        size = 0;
    }

    /**
     * @param text    a string's decoded text when it has escapes (general path), else null
     * @param escapes whether a string value has escapes left raw for {@link #isRawEscaped} (fast path)
     */
    void add(String name, JsonToken t, String text, boolean escapes, int start, int end) {
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            tokens = Arrays.copyOf(tokens, n);
            decoded = Arrays.copyOf(decoded, n);
            escaped = Arrays.copyOf(escaped, n);
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
        }
        names[size] = name;
        tokens[size] = t;
        decoded[size] = text;
        escaped[size] = escapes;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    public int size() {
        return size;
    }

    /**
     * Field names are interned by the reader (Jackson's symbol table, the scanner's per-position cache):
     * the same name in the same place of consecutive records is the same String instance.
     */
    public String name(int i) {
        return names[i];
    }

    public JsonToken token(int i) {
        return tokens[i];
    }

    public boolean isEmptyString(int i) {
        return tokens[i] == JsonToken.VALUE_STRING && ends[i] - starts[i] == 2;
    }

    /** The array holding the raw JSON of every value. */
    public byte[] source() {
        return source;
    }

    /** Where the value's raw JSON starts in {@link #source()} (a string's opening quote). */
    public int start(int i) {
        return starts[i];
    }

    /** Where the value's raw JSON ends in {@link #source()} (after a string's closing quote). */
    public int end(int i) {
        return ends[i];
    }

    /** A string with escapes, decoded (general path); null when the raw slice is the text or it is not decoded. */
    public String decoded(int i) {
        return decoded[i];
    }

    /** A string whose escapes are still raw JSON (fast path): decode {@code source()[start + 1, end - 1)}. */
    public boolean isRawEscaped(int i) {
        return escaped[i];
    }
}
