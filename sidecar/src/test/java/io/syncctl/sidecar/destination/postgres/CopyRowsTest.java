package io.syncctl.sidecar.destination.postgres;

import io.syncctl.shared.protocol.RawJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CopyRowsTest {
    @Test
    void escapesTextAndRawJsonForCopy() throws Exception {
        CopyRows rows = new CopyRows();
        rows.target(null);
        rows.field("a\tb\nc\\d\re\u0000f é 😀");
        rows.nullField();
        byte[] json = "{\"k\":\"x\\ny\"}".getBytes(StandardCharsets.UTF_8);
        rows.field(json, 0, json.length);
        assertEquals("a\\tb\\nc\\\\d\\ref é 😀\t\\N\t{\"k\":\"x\\\\ny\"}", rows.pending());
    }

    @Test
    void recordFieldsKeepTextAndRawSlicesOfASliceOfALine() throws Exception {
        String line = "{\"type\":\"RECORD\",\"record\":{\"data\":{\"s\":\"q\\\"x\",\"n\":1.50,\"o\":{\"a\":[1]},\"z\":null}}}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int start = line.indexOf("{\"s\"");
        int end = line.indexOf("}}}") + 1;
        RecordFields f = new RecordFields();
        f.read(new RawJson(b, start, end - start));
        assertEquals(java.util.List.of("s", "n", "o", "z"), f.names);
        assertEquals("q\"x", f.texts.get(0));
        assertEquals("\"q\\\"x\"", new String(b, f.start(0), f.length(0), StandardCharsets.UTF_8));
        assertEquals("1.50", f.texts.get(1));
        assertEquals("{\"a\":[1]}", new String(b, f.start(2), f.length(2), StandardCharsets.UTF_8));
        assertEquals(null, f.texts.get(3));
    }
}
