package io.syncctl.sidecar.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them: a record line goes to the JSON parser as bytes.
 * The line buffer grows to the longest line seen (a record may be megabytes) and is reused, so memory is
 * bounded by the longest line, not by the volume, and the longest line by {@code maxLineBytes}: a longer
 * one throws {@link LineTooLongException} instead of growing the buffer until the JVM runs out of memory.
 * Not thread-safe; one reader per pipe.
 */
public final class LineReader {
    private static final int CHUNK = 1 << 16;
    /** After a line longer than this, the buffer shrinks back so one huge record does not pin memory. */
    private static final int KEEP = 1 << 20;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[8192];
    private int length;
    private boolean unterminated;

    public LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** A line (without its newline) was longer than the limit; the stream cannot be read on. */
    public static final class LineTooLongException extends IOException {
        public LineTooLongException(int maxLineBytes) {
            super("a line longer than " + maxLineBytes + " bytes (MAX_LINE_BYTES) was refused: the connector wrote a "
                    + "message the sidecar will not hold in memory");
        }
    }

    /** Reads the next line (without its {@code \n} or {@code \r\n}); false at the end of the stream. */
    public boolean next() throws IOException {
        if (line.length > KEEP) {
            line = new byte[8192];
        }
        length = 0;
        unterminated = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                int n = in.read(chunk);
                if (n < 0) {
                    if (length > maxLineBytes) {
                        throw new LineTooLongException(maxLineBytes);
                    }
                    unterminated = length > 0;
                    return unterminated;
                }
                chunkPos = 0;
                chunkEnd = n;
            }
            int start = chunkPos;
            int nl = -1;
            for (int i = start; i < chunkEnd; i++) {
                if (chunk[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? chunkEnd : nl;
            append(start, end - start);
            chunkPos = nl < 0 ? chunkEnd : nl + 1;
            if (nl >= 0) {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                if (length > maxLineBytes) {
                    throw new LineTooLongException(maxLineBytes);
                }
                return true;
            }
        }
    }

    private void append(int from, int n) throws LineTooLongException {
        // a trailing \r is not part of the line: allow it one byte over until the newline shows
        if ((long) length + n > maxLineBytes + 1L) {
            throw new LineTooLongException(maxLineBytes);
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxLineBytes + 1L, Math.max(2L * line.length, (long) length + n)));
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    /** The current line's bytes are {@code bytes()[0, length())}; valid until the next {@link #next()}. */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** True when the current line is the last one and the stream ended before its newline. */
    public boolean unterminated() {
        return unterminated;
    }
}
