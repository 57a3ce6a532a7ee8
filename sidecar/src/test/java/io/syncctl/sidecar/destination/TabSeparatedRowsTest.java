package io.syncctl.sidecar.destination;

import io.syncctl.shared.protocol.RawJson;
import io.syncctl.sidecar.record.RecordFields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TabSeparatedRowsTest {
    @Test
    void escapesTextAndRawJsonForCopy() throws Exception {
        TabSeparatedRows rows = new TabSeparatedRows();
        rows.target(null);
        rows.field("a\tb\nc\\d\re\u0000f é 😀");
        rows.nullField();
        byte[] json = "{\"k\":\"x\\ny\"}".getBytes(StandardCharsets.UTF_8);
        rows.field(json, 0, json.length);
        assertEquals("a\\tb\\nc\\\\d\\ref é 😀\t\\N\t{\"k\":\"x\\\\ny\"}", rows.pending());
    }

    @Test
    void recordFieldsWriteValuesFromASliceOfALine() throws Exception {
        String line = "{\"type\":\"RECORD\",\"record\":{\"data\":{\"s\":\"q\\\"x\",\"p\":\"plain é\",\"n\":1.50,\"b\":true,"
                + "\"o\":{\"a\":[1]},\"z\":null}}}";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        int start = line.indexOf("{\"s\"");
        int end = line.lastIndexOf("}}}") + 1;
        RecordFields f = new RecordFields();
        f.read(new RawJson(b, start, line.substring(start, end).getBytes(StandardCharsets.UTF_8).length));
        assertEquals(6, f.size());
        assertEquals("z", f.name(5));
        TabSeparatedRows rows = new TabSeparatedRows();
        rows.target(null);
        for (int i = 0; i < 5; i++) {
            rows.value(f, i, false);
        }
        rows.value(f, 0, true);
        rows.value(f, 1, true);
        assertEquals("q\"x\tplain é\t1.50\ttrue\t{\"a\":[1]}\t\"q\\\\\"x\"\t\"plain é\"", rows.pending());
    }
}
