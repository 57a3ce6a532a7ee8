package io.syncctl.sidecar.destination.postgres;

import org.postgresql.copy.CopyIn;

import java.sql.SQLException;

/**
 * Encodes rows in PostgreSQL's COPY text format straight into a byte buffer and hands full buffers to a
 * {@link CopyIn}: no intermediate strings per row, one driver call per 64 KiB.
 */
final class CopyRows {
    private static final int FLUSH_AT = 1 << 16;

    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int len;
    private boolean firstField = true;
    private CopyIn copy;

    void target(CopyIn copy) {
        this.copy = copy;
        this.len = 0;
        this.firstField = true;
    }

    void nullField() {
        separator();
        ensure(2);
        buf[len++] = '\\';
        buf[len++] = 'N';
    }

    /** A text value; characters are UTF-8 encoded and COPY-escaped. */
    void field(String s) {
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

    /** Raw UTF-8 bytes (JSON text), COPY-escaped. */
    void field(byte[] b, int off, int n) {
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

    void endRow() throws SQLException {
        ensure(1);
        buf[len++] = '\n';
        firstField = true;
        if (len >= FLUSH_AT) {
            flush();
        }
    }

    void flush() throws SQLException {
        if (len > 0) {
            copy.writeToCopy(buf, 0, len);
            len = 0;
        }
        if (buf.length > (FLUSH_AT << 4)) {
            buf = new byte[FLUSH_AT + 1024]; // do not keep a huge record's buffer
        }
    }

    /** The encoded bytes of the rows so far, for tests. */
    String pending() {
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
