package io.syncctl.sidecar.record;

import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.RawJson;
import io.syncctl.shared.protocol.StreamDescriptor;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path for RECORD lines, the bulk of a sync: one hand-written pass over the line's bytes finds
 * the stream, the {@code data} slice and data's top-level fields ({@link RecordFields}), with no parser
 * object, no token stream and no String per value.
 *
 * <p>It accepts only what it fully understands and is at least as strict as Jackson with the settings of
 * {@link io.syncctl.shared.protocol.MessageParser} (RFC 8259 JSON, well-formed UTF-8, no unescaped
 * control characters, no leading zeros). Anything else (other message types, escapes in field names or
 * stream names, odd {@code emitted_at}, deep nesting, trailing text, malformed JSON) makes {@link #scan}
 * return false and the caller takes the general path, so a line means exactly the same either way.
 * Not thread-safe; one per pipe.
 */
public final class RecordScanner {
    /** Deeper values are left to the general path (Jackson allows 10,000 levels). */
    private static final int MAX_DEPTH = 1000;
    /** Longer numbers are left to the general path (Jackson's limit is 10,000 characters). */
    private static final int MAX_NUMBER = 1000;
    private static final byte[] RECORD = "RECORD".getBytes(StandardCharsets.US_ASCII);

    /** Thrown to leave the fast path; preallocated and stackless, as it is control flow. */
    private static final class NotFast extends RuntimeException {
        NotFast() {
            super(null, null, false, false);
        }
    }

    private static final NotFast NOT_FAST = new NotFast();

    private final RecordFields fields = new RecordFields();
    private byte[] b;
    private int end;
    private int pos;

    private int streamStart;
    private int streamEnd;
    private int nsStart;
    private int nsEnd;
    private int dataStart;
    private int dataEnd;
    private long emittedAt;

    /** The descriptor of the previous record, reused while the stream stays the same (records come in runs). */
    private StreamDescriptor lastStream;
    private byte[] lastStreamBytes = new byte[0];
    private byte[] lastNsBytes;
    /** Per field position: the name of the previous record there and its bytes, to hand out the same String. */
    private String[] nameAt = new String[16];
    private byte[][] nameBytesAt = new byte[16][];

    private AirbyteMessage.Record record;

    /**
     * Scans {@code line[0, length)}. True when it is a RECORD message: then {@link #record()} and
     * {@link #fields()} describe it until the next call (they share {@code line}). False: not handled
     * here, parse it with the general parser.
     */
    public boolean scan(byte[] line, int length) {
        b = line;
        end = length;
        pos = 0;
        record = null;
        try {
            return message();
        } catch (NotFast | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    public AirbyteMessage.Record record() {
        return record;
    }

    public RecordFields fields() {
        return fields;
    }

    private boolean message() {
        ws();
        expect('{');
        int typeStart = -1;
        int typeEnd = -1;
        boolean haveRecord = false;
        ws();
        if (peek() == '}') {
            return false;
        }
        while (true) {
            int nameStart = pos + 1;
            int nameEnd = name();
            colon();
            if (is(nameStart, nameEnd, "type")) {
                if (peek() != '"' || string()) {
                    return false; // not a string, or escaped: the general path decides
                }
                typeStart = lastStringStart;
                typeEnd = pos - 1;
            } else if (is(nameStart, nameEnd, "record")) {
                if (peek() != '{') {
                    return false;
                }
                recordObject();
                haveRecord = true;
            } else {
                value();
            }
            ws();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
        ws();
        if (pos != end || !haveRecord || typeStart < 0
                || !Arrays.equals(b, typeStart, typeEnd, RECORD, 0, RECORD.length)) {
            return false;
        }
        record = new AirbyteMessage.Record(descriptor(), new RawJson(b, dataStart, dataEnd - dataStart), emittedAt);
        return true;
    }

    /** The {@code record} object; a repeated one replaces the earlier, as in the general parser. */
    private void recordObject() {
        streamStart = -1;
        nsStart = -1;
        dataStart = -1;
        emittedAt = 0;
        pos++;
        ws();
        if (peek() == '}') {
            throw NOT_FAST;
        }
        while (true) {
            int nameStart = pos + 1;
            int nameEnd = name();
            colon();
            if (is(nameStart, nameEnd, "stream")) {
                if (peek() != '"' || string()) {
                    throw NOT_FAST;
                }
                streamStart = lastStringStart;
                streamEnd = pos - 1;
            } else if (is(nameStart, nameEnd, "namespace")) {
                if (peek() == 'n') {
                    literal("null");
                    nsStart = -1;
                } else if (peek() != '"' || string()) {
                    throw NOT_FAST;
                } else {
                    nsStart = lastStringStart;
                    nsEnd = pos - 1;
                }
            } else if (is(nameStart, nameEnd, "emitted_at")) {
                emittedAt = emittedAt();
            } else if (is(nameStart, nameEnd, "data")) {
                if (peek() != '{') {
                    throw NOT_FAST;
                }
                data();
            } else {
                value();
            }
            ws();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw NOT_FAST;
            }
            ws();
        }
        if (streamStart < 0 || streamEnd == streamStart || dataStart < 0) {
            throw NOT_FAST;
        }
    }

    /** An integer {@code emitted_at} of at most 18 digits (anything else: general path). */
    private long emittedAt() {
        int start = pos;
        if (number() != JsonToken.VALUE_NUMBER_INT || pos - start > 18 || b[start] == '-') {
            throw NOT_FAST;
        }
        long v = 0;
        for (int i = start; i < pos; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** The data object: each top-level field goes into {@link #fields}. */
    private void data() {
        dataStart = pos;
        fields.reset(b);
        pos++;
        ws();
        if (peek() == '}') {
            pos++;
            dataEnd = pos;
            return;
        }
        int index = 0;
        while (true) {
            int nameStart = pos + 1;
            int nameEnd = name();
            String name = fieldName(index++, nameStart, nameEnd);
            colon();
            int start = pos;
            byte c = peek();
            JsonToken t;
            boolean escapes = false;
            if (c == '"') {
                escapes = string();
                t = JsonToken.VALUE_STRING;
            } else if (c == '{') {
                container();
                t = JsonToken.START_OBJECT;
            } else if (c == '[') {
                container();
                t = JsonToken.START_ARRAY;
            } else {
                t = scalar();
            }
            fields.add(name, t, null, escapes, start, pos);
            ws();
            c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw NOT_FAST;
            }
            ws();
        }
        dataEnd = pos;
    }

    /** The field name at this position of the previous record when the bytes are the same, else a new String. */
    private String fieldName(int index, int start, int end) {
        if (index >= nameAt.length) {
            nameAt = Arrays.copyOf(nameAt, index * 2);
            nameBytesAt = Arrays.copyOf(nameBytesAt, index * 2);
        }
        byte[] known = nameBytesAt[index];
        if (known != null && Arrays.equals(b, start, end, known, 0, known.length)) {
            return nameAt[index];
        }
        byte[] bytes = Arrays.copyOfRange(b, start, end);
        String name = new String(bytes, StandardCharsets.UTF_8);
        nameBytesAt[index] = bytes;
        nameAt[index] = name;
        return name;
    }

    private StreamDescriptor descriptor() {
        boolean sameNs = nsStart < 0 ? lastNsBytes == null
                : lastNsBytes != null && Arrays.equals(b, nsStart, nsEnd, lastNsBytes, 0, lastNsBytes.length);
        if (lastStream != null && sameNs
                && Arrays.equals(b, streamStart, streamEnd, lastStreamBytes, 0, lastStreamBytes.length)) {
            return lastStream;
        }
        lastStreamBytes = Arrays.copyOfRange(b, streamStart, streamEnd);
        lastNsBytes = nsStart < 0 ? null : Arrays.copyOfRange(b, nsStart, nsEnd);
        lastStream = new StreamDescriptor(lastNsBytes == null ? null : new String(lastNsBytes, StandardCharsets.UTF_8),
                new String(lastStreamBytes, StandardCharsets.UTF_8));
        return lastStream;
    }

    // ---- JSON grammar ---------------------------------------------------------------------------------

    /** Where the content of the string last read by {@link #string()} starts. */
    private int lastStringStart;
    /** Per nesting level of {@link #container()}: whether it is an object (else an array). */
    private final boolean[] containerKinds = new boolean[MAX_DEPTH];

    /** A member name at {@code pos} (opening quote); returns the offset of its closing quote. No escapes. */
    private int name() {
        if (peek() != '"' || string()) {
            throw NOT_FAST;
        }
        return pos - 1;
    }

    private void colon() {
        ws();
        expect(':');
        ws();
    }

    /** Any value. */
    private void value() {
        byte c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            container();
        } else {
            scalar();
        }
    }

    /** An object or array at {@code pos}, checked to its end without recursion. */
    private void container() {
        boolean[] objects = containerKinds;
        int level = 0;
        while (true) {
            byte c = peek();
            if (c == '{' || c == '[') {
                pos++;
                boolean object = c == '{';
                if (level == MAX_DEPTH) {
                    throw NOT_FAST;
                }
                objects[level++] = object;
                ws();
                if (peek() == (object ? '}' : ']')) {
                    pos++;
                    level--; // empty: closed at once
                } else {
                    if (object) {
                        name();
                        colon();
                    }
                    continue; // its first value
                }
            } else if (c == '"') {
                string();
            } else {
                scalar();
            }
            // a value ended: the container goes on with a comma, or closes
            while (true) {
                if (level == 0) {
                    return;
                }
                ws();
                byte d = next();
                boolean object = objects[level - 1];
                if (d == ',') {
                    ws();
                    if (object) {
                        name();
                        colon();
                    }
                    break; // the next value
                }
                if (d != (object ? '}' : ']')) {
                    throw NOT_FAST;
                }
                level--;
            }
        }
    }

    /** A number, true, false or null. */
    private JsonToken scalar() {
        byte c = peek();
        switch (c) {
            case 't' -> {
                literal("true");
                return JsonToken.VALUE_TRUE;
            }
            case 'f' -> {
                literal("false");
                return JsonToken.VALUE_FALSE;
            }
            case 'n' -> {
                literal("null");
                return JsonToken.VALUE_NULL;
            }
            default -> {
                return number();
            }
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw NOT_FAST;
            }
        }
        int c = pos < end ? b[pos] : ' ';
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
            throw NOT_FAST;
        }
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, followed by a delimiter. */
    private JsonToken number() {
        int start = pos;
        boolean integer = true;
        if (peek() == '-') {
            pos++;
        }
        byte c = next();
        if (c == '0') {
            if (pos < end && isDigit(b[pos])) {
                throw NOT_FAST; // leading zero
            }
        } else if (c >= '1' && c <= '9') {
            digits();
        } else {
            throw NOT_FAST;
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            integer = false;
            if (!isDigit(next())) {
                throw NOT_FAST;
            }
            digits();
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(next())) {
                throw NOT_FAST;
            }
            digits();
        }
        if (pos - start > MAX_NUMBER) {
            throw NOT_FAST;
        }
        if (pos < end) {
            byte d = b[pos];
            if (d != ',' && d != '}' && d != ']' && d != ' ' && d != '\t' && d != '\r' && d != '\n') {
                throw NOT_FAST;
            }
        }
        return integer ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    private void digits() {
        while (pos < end && isDigit(b[pos])) {
            pos++;
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A string at {@code pos} (opening quote), checked: valid escapes, no raw control characters,
     * well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). Leaves {@code pos}
     * after the closing quote and its content's start in {@link #lastStringStart}.
     * Returns whether it has escapes.
     */
    private boolean string() {
        pos++;
        lastStringStart = pos;
        boolean escapes = false;
        byte[] b = this.b;
        int end = this.end;
        int i = pos;
        while (true) {
            if (i >= end) {
                throw NOT_FAST;
            }
            int c = b[i];
            if (c == '"') {
                pos = i + 1;
                return escapes;
            }
            if (c >= 0x20 && c != '\\') {
                i++; // printable ASCII
            } else if (c == '\\') {
                escapes = true;
                i = escape(i + 1);
            } else if (c >= 0) {
                throw NOT_FAST; // raw control character
            } else {
                i = utf8(i);
            }
        }
    }

    /** The escape after a backslash at {@code i}; returns the offset after it. */
    private int escape(int i) {
        if (i >= end) {
            throw NOT_FAST;
        }
        switch (b[i]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 1;
            }
            case 'u' -> {
                if (i + 4 >= end) {
                    throw NOT_FAST;
                }
                for (int k = 1; k <= 4; k++) {
                    if (hex(b[i + k]) < 0) {
                        throw NOT_FAST;
                    }
                }
                return i + 5;
            }
            default -> throw NOT_FAST;
        }
    }

    static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** A multi-byte UTF-8 sequence at {@code i}, strictly checked; returns the offset after it. */
    private int utf8(int i) {
        int c = b[i] & 0xFF;
        int n;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            min = 0x10000;
        } else {
            throw NOT_FAST;
        }
        if (i + n >= end) {
            throw NOT_FAST;
        }
        int cp = c & (0x3F >> n);
        for (int k = 1; k <= n; k++) {
            int d = b[i + k] & 0xFF;
            if ((d & 0xC0) != 0x80) {
                throw NOT_FAST;
            }
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw NOT_FAST;
        }
        return i + n + 1;
    }

    private void ws() {
        while (pos < end) {
            byte c = b[pos];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            }
            pos++;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw NOT_FAST;
        }
        return b[pos];
    }

    private byte next() {
        if (pos >= end) {
            throw NOT_FAST;
        }
        return b[pos++];
    }

    private void expect(char c) {
        if (next() != c) {
            throw NOT_FAST;
        }
    }

    private boolean is(int start, int end, String name) {
        int n = name.length();
        if (end - start != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
