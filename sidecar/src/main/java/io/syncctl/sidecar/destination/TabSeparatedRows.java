package io.syncctl.sidecar.destination;

import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.sidecar.record.RecordFields;

/**
 * Encodes rows as tab-separated text with backslash escapes ({@code \\}, {@code \n}, {@code \r},
 * {@code \t}; {@code \N} is NULL), the format both PostgreSQL's {@code COPY ... FROM STDIN} (text) and
 * MySQL's {@code LOAD DATA} (its defaults) read, straight into a byte buffer, handing full buffers to a
 * {@link Sink}: no intermediate strings per row, one driver call per 64 KiB. NUL characters are dropped
 * (Postgres text cannot hold them).
 */
public final class TabSeparatedRows {
    /** Where full buffers go (the driver's COPY, a pipe the driver reads). */
    @FunctionalInterface
    public interface Sink {
        void write(byte[] b, int off, int len) throws Exception;
    }

    private static final int FLUSH_AT = 1 << 16;

    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int len;
    private boolean firstField = true;
    private Sink sink;

    public void target(Sink sink) {
        this.sink = sink;
        this.len = 0;
        this.firstField = true;
    }

    public void nullField() {
        separator();
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = 'N';
    }

    /** A text value; characters are UTF-8 encoded and COPY-escaped. */
    public void field(String s) {
        separator();
        int n = s.length();
        ensure(n * 3 + 2);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> { ensure(2 + (n - i) * 3); buf[len++] = '\\'; buf[len++] = '\\'; }
                    case '\n' -> { ensure(2 + (n - i) * 3); buf[len++] = '\\'; buf[len++] = 'n'; }
                    case '\r' -> { ensure(2 + (n - i) * 3); buf[len++] = '\\'; buf[len++] = 'r'; }
                    case '\t' -> { ensure(2 + (n - i) * 3); buf[len++] = '\\'; buf[len++] = 't'; }
                    case 0 -> { } // Postgres text cannot hold NUL
                    default -> buf[len++] = (byte) c;
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4 + (n - i) * 3);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[len++] = '?'; // a lone surrogate has no UTF-8 form
            } else {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /**
     * Field {@code i} of a record: as text (strings unquoted and unescaped), or, when {@code json}, as its
     * raw JSON.
     */
    public void value(RecordFields f, int i, boolean json) {
        byte[] src = f.source();
        int start = f.start(i);
        int end = f.end(i);
        if (f.token(i) != JsonToken.VALUE_STRING || json) {
            field(src, start, end - start);
        } else if (f.decoded(i) != null) {
            field(f.decoded(i));
        } else if (f.isRawEscaped(i)) {
            jsonString(src, start + 1, end - 1);
        } else {
            field(src, start + 1, end - start - 2);
        }
    }

    /**
     * The content of a JSON string with escapes ({@code b[from, to)}, already checked by the scanner),
     * decoded and COPY-escaped in one pass. Produces exactly the bytes {@link #field(String)} produces
     * for the string Jackson decodes: NUL dropped, an unpaired surrogate escape as {@code ?}.
     */
    public void jsonString(byte[] b, int from, int to) {
        separator();
        ensure((to - from) * 2);
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != '\\') {
                buf[len++] = c; // raw JSON string bytes hold no control characters, quotes or backslashes
                continue;
            }
            byte e = b[++i];
            switch (e) {
                case 'n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case 'r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                case 't' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                case 'b' -> buf[len++] = 0x08;
                case 'f' -> buf[len++] = 0x0C;
                case 'u' -> {
                    int cp = hex4(b, i + 1);
                    i += 4;
                    if (Character.isHighSurrogate((char) cp) && i + 6 < to && b[i + 1] == '\\' && b[i + 2] == 'u'
                            && Character.isLowSurrogate((char) hex4(b, i + 3))) {
                        cp = Character.toCodePoint((char) cp, (char) hex4(b, i + 3));
                        i += 6;
                    }
                    codePoint(cp);
                }
                default -> buf[len++] = e; // '"' and '/'
            }
        }
    }

    private static int hex4(byte[] b, int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            byte c = b[at + k];
            v = (v << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
    }

    /** One decoded code point, as {@link #field(String)} writes it. */
    private void codePoint(int cp) {
        switch (cp) {
            case 0 -> { } // Postgres text cannot hold NUL
            case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
            case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
            case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
            case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
            default -> {
                if (cp < 0x80) {
                    buf[len++] = (byte) cp;
                } else if (cp < 0x800) {
                    buf[len++] = (byte) (0xC0 | (cp >> 6));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    buf[len++] = '?'; // a lone surrogate has no UTF-8 form
                } else if (cp < 0x10000) {
                    buf[len++] = (byte) (0xE0 | (cp >> 12));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    buf[len++] = (byte) (0xF0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (byte) (0x80 | (cp & 0x3F));
                }
            }
        }
    }

    /** Raw UTF-8 bytes (JSON text), COPY-escaped. */
    public void field(byte[] b, int off, int n) {
        separator();
        ensure(n * 2);
        for (int i = off, end = off + n; i < end; i++) {
            byte c = b[i];
            switch (c) {
                case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                default -> buf[len++] = c;
            }
        }
    }

    public void endRow() throws Exception {
        ensure(1);
        buf[len++] = '\n';
        firstField = true;
        if (len >= FLUSH_AT) {
            flush();
        }
    }

    public void flush() throws Exception {
        if (len > 0) {
            sink.write(buf, 0, len);
            len = 0;
        }
        if (buf.length > (FLUSH_AT << 4)) {
            buf = new byte[FLUSH_AT + 1024]; // do not keep a huge record's buffer
        }
    }

    /** The encoded bytes of the rows so far, for tests. */
    public String pending() {
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void separator() {
        if (!firstField) {
            ensure(1);
            buf[len++] = '\t';
        }
        firstField = false;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
