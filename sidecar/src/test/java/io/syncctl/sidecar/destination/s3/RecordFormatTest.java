package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flattening, CSV text and the console's fields, as pure functions. */
class RecordFormatTest {

    private static Map<String, FlatRecord.Value> flat(String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return FlatRecord.of(b, 0, b.length);
    }

    private static String flatJson(String json) throws IOException {
        StringWriter w = new StringWriter();
        try (var g = FlatRecord.JSON.createGenerator(w)) {
            FlatRecord.writeJson(flat(json), g);
        }
        return w.toString();
    }

    @Test
    void flatteningJoinsNestedNamesAndKeepsArraysNullsAndOrder() throws IOException {
        assertEquals("{\"b\":1,\"a_x\":\"é\",\"a_y_z\":true,\"a_arr\":[{\"k\":1},2],\"n\":null}\n",
                flatJson("{\"b\":1,\"a\":{\"x\":\"é\",\"y\":{\"z\":true},\"arr\":[{\"k\": 1}, 2],\"e\":{}},\"n\":null}"));
        assertEquals("{\"a_b\":2}\n", flatJson("{\"a_b\":1,\"a\":{\"b\":2}}"), "a later field of the same name wins, in the first's place");
        assertEquals("{\"x\":1,\"_unnamed\":\"v\"}\n", flatJson("{\"\":\"v\",\"x\":1}"));
        assertEquals("{\"big\":12345678901234567890,\"f\":1.50e3}\n", flatJson("{\"big\":12345678901234567890,\"f\":1.50e3}"),
                "numbers keep their text");
        assertEquals("{\"s\":\"q\\\"\\n\\u0001\"}\n", flatJson("{\"s\":\"q\\\"\\n\\u0001\"}"));
        assertThrows(IOException.class, () -> flat("[1]"));
    }

    @Test
    void csvQuotesAsGosEncodingCsv() {
        StringBuilder b = new StringBuilder();
        for (String s : List.of("plain", "", "a,b", "q\"q", "line\nbreak", "cr\r", " lead", "\tlead", "trail ", "\\.", "日本")) {
            CsvText.field(s, b);
            b.append('|');
        }
        assertEquals("plain||\"a,b\"|\"q\"\"q\"|\"line\nbreak\"|\"cr\r\"|\" lead\"|\"\tlead\"|trail |\"\\.\"|日本|", b.toString());
        assertTrue(CsvText.needsQuotes("\u00a0x"));
        assertFalse(CsvText.needsQuotes("x\u00a0"));
    }

    @Test
    void csvRowsFollowTheHeaderWithBulkersValueText() throws IOException {
        List<String> header = List.of("a", "b", "c", "d", "e", "f");
        assertEquals("a,b,c,d,e,f\n", CsvText.header(header));
        assertEquals("x,1,0,,\"[1,\"\"s\"\"]\",\n", CsvText.row(header, flat("{\"a\":\"x\",\"b\":true,\"c\":false,\"d\":null,\"e\":[1,\"s\"]}")));
    }

    @Test
    void consoleFieldsWithBulkersDefaults() throws Exception {
        ObjectMapper json = new ObjectMapper();
        S3Config c = S3Config.from(json.readTree("{\"bucket\":\" b \"}"));
        assertEquals(new S3Config("", "", "b", "us-west-1", null, "", FileFormat.NDJSON, false), c);
        assertEquals("s3.us-west-1.amazonaws.com", c.endpointName());
        c = S3Config.from(json.readTree("{\"bucket\":\"b\",\"accessKeyId\":\"AK\",\"secretAccessKey\":\"SK\",\"region\":\"eu-west-1\","
                + "\"endpoint\":\"minio:9000\",\"folder\":\"raw\",\"format\":\"csv\",\"compression\":\"gzip\"}"));
        assertEquals(new S3Config("AK", "SK", "b", "eu-west-1", java.net.URI.create("https://minio:9000"), "raw", FileFormat.CSV, true), c);
        assertEquals("s3 destinationConfig.bucket is required",
                assertThrows(IllegalArgumentException.class, () -> S3Config.from(json.readTree("{\"bucket\":\"\"}"))).getMessage());
        assertEquals("s3 destinationConfig.format must be ndjson, ndjson_flat or csv, not parquet",
                assertThrows(IllegalArgumentException.class, () -> S3Config.from(json.readTree("{\"bucket\":\"b\",\"format\":\"parquet\"}"))).getMessage());
        assertEquals("s3 destinationConfig.compression must be gzip or none, not zstd",
                assertThrows(IllegalArgumentException.class, () -> S3Config.from(json.readTree("{\"bucket\":\"b\",\"compression\":\"zstd\"}"))).getMessage());
        assertEquals("s3 destinationConfig.endpoint is not an http(s) URL",
                assertThrows(IllegalArgumentException.class, () -> S3Config.from(json.readTree("{\"bucket\":\"b\",\"endpoint\":\"ftp://x\"}"))).getMessage());
    }
}
