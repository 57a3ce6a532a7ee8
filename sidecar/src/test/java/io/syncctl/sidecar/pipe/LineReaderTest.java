package io.syncctl.sidecar.pipe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {
    private static List<String> lines(String text, List<Boolean> unterminated) throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 64 << 20);
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8));
            unterminated.add(r.unterminated());
        }
        return out;
    }

    @Test
    void splitsLinesOfAnyLengthAndReportsAnUnterminatedLastLine() throws Exception {
        String big = "y".repeat(300_000);
        List<Boolean> u = new ArrayList<>();
        assertEquals(List.of("a", "", "crlf", big, "tail"), lines("a\n\ncrlf\r\n" + big + "\ntail", u));
        assertEquals(List.of(false, false, false, false, true), u);
        u.clear();
        assertEquals(List.of(), lines("", u));
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedAtTheLimitNotAtItsEnd() throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream("1234\n12345\r\n123456\n".getBytes(StandardCharsets.UTF_8)), 5);
        assertTrue(r.next());
        assertEquals(4, r.length());
        assertTrue(r.next(), "exactly the limit, with CRLF, is a line");
        assertEquals(5, r.length());
        LineReader.LineTooLongException e = assertThrows(LineReader.LineTooLongException.class, r::next);
        assertEquals("a line longer than 5 bytes (MAX_LINE_BYTES) was refused: the connector wrote a message the sidecar "
                + "will not hold in memory", e.getMessage());

        // an endless line (no newline ever) fails once the limit is passed, without reading it all
        int[] served = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served[0] += len;
                return len;
            }
        };
        assertThrows(LineReader.LineTooLongException.class, () -> new LineReader(endless, 1 << 20).next());
        assertTrue(served[0] < (1 << 20) + (1 << 17), "stopped near the limit: " + served[0]);
        assertThrows(LineReader.LineTooLongException.class,
                () -> new LineReader(new ByteArrayInputStream("123456".getBytes(StandardCharsets.UTF_8)), 5).next(),
                "an unterminated last line is held to the same limit");
    }
}
