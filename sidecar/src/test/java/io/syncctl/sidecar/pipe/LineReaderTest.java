package io.syncctl.sidecar.pipe;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineReaderTest {
    private static List<String> lines(String text, List<Boolean> unterminated) throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
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
}
