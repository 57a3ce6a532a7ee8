package io.syncctl.sidecar.destination.postgres;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.sidecar.destination.TabSeparatedRows;
import io.syncctl.sidecar.record.RecordFields;
import io.syncctl.sidecar.record.RecordScanner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The line scanner (fast path) against the general path (Jackson's MessageParser, then RecordFields.read):
 * whenever the scanner takes a line, both must see the same stream, the same data slice and fields, and
 * produce the same COPY bytes for every field, as text and as JSON.
 */
class RecordScannerEquivalenceTest {
    private final RecordScanner scanner = new RecordScanner();
    private final MessageParser parser = new MessageParser();

    private static String record(String data) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":" + data + ",\"emitted_at\":1700000000000}}";
    }

    /** What a path made of the line: stream, emitted_at, data, then per field name, token and its COPY text and JSON. */
    private static String describe(AirbyteMessage.Record r, RecordFields f) {
        TabSeparatedRows rows = new TabSeparatedRows();
        rows.target(null);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < f.size(); i++) {
            names.append(f.name(i)).append(':').append(f.token(i)).append(':').append(f.isEmptyString(i)).append(' ');
            rows.value(f, i, false);
            rows.value(f, i, true);
        }
        return r.stream().key() + "|" + r.emittedAt() + "|" + r.data().text() + "|" + names + "|" + rows.pending();
    }

    private String general(byte[] line) throws Exception {
        AirbyteMessage m = parser.parse(line, line.length);
        AirbyteMessage.Record r = (AirbyteMessage.Record) m;
        return describe(r, new RecordFields().read(r.data()));
    }

    /** Asserts the scanner takes the line and agrees with the general path. */
    private void same(String line) throws Exception {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertTrue(scanner.scan(b, b.length), "the scanner should take " + abbreviate(line));
        assertEquals(general(b), describe(scanner.record(), scanner.fields()), abbreviate(line));
    }

    /** Whatever the scanner makes of arbitrary bytes: if it takes them, the general path reads them the same. */
    private boolean agreesIfTaken(byte[] b) throws Exception {
        if (!scanner.scan(b, b.length)) {
            return false;
        }
        String fast = describe(scanner.record(), scanner.fields());
        String general;
        try {
            general = general(b);
        } catch (MessageParser.NotAMessage | java.io.IOException | ClassCastException e) {
            throw new AssertionError("the scanner took a line the general path rejects (" + e + "): "
                    + abbreviate(new String(b, StandardCharsets.UTF_8)));
        }
        assertEquals(general, fast, abbreviate(new String(b, StandardCharsets.UTF_8)));
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Test
    void escapesUnicodeAndSurrogatesGiveTheSameCopyText() throws Exception {
        for (String value : List.of("a\\\"b", "\\\\", "back\\\\slash\\\\n", "\\/", "\\b\\f\\n\\r\\t", "x\\u0000y",
                "\\u00e9\\u20AC\\u00E9", "\\ud83d\\ude00", "\\ud83d", "\\ude00x", "\\ud83d\\ud83d\\ude00", "\\ud83dabc",
                "\\u005c\\u000a\\u0009\\u000d\\u0008", "é€😀 plain", "😀\\n", "\\ud83d😀", "\\\"\\\"",
                "", " ", "\\u0041", "ab\\u12")) {
            if (value.equals("ab\\u12")) {
                continue; // invalid: checked below
            }
            same(record("{\"v\":\"" + value + "\",\"n\":1}"));
        }
    }

    @Test
    void nestedValuesNumbersLiteralsAndWhitespace() throws Exception {
        same(record("{\"o\":{\"a\":[1,2,{\"b\":\"x\\ny\\\\z\"}],\"e\":{},\"f\":[]},\"arr\":[\"\\u00e9\",null,true,false,-1.5e-3]}"));
        same(record("{\"i\":0,\"neg\":-0,\"f\":1.5E+10,\"g\":-1e-5,\"big\":123456789012345678901234567890,\"d\":1.0,"
                + "\"t\":true,\"fa\":false,\"nu\":null,\"es\":\"\"}"));
        same(" { \"record\" : { \"data\" : { \"a\" : 1 , \"b\" : [ 1 , { } ] } , \"namespace\" : \"ns\" , \"stream\" : \"s\" } ,"
                + " \"type\" : \"RECORD\" , \"extra\" : {\"x\":[null]} } ");
        same("{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"namespace\":null,\"data\":{}}}");
        same("{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"namespace\":\"\",\"data\":{\"a\":1}}}");
        same("{\"type\":\"RECORD\",\"record\":{\"stream\":\"strömung\",\"namespace\":\"名前\",\"data\":{\"é名\":\"ü\"}}}");
        same(record("{\"a\":1,\"a\":\"dup\",\"b\":null}"));
        same("{\"type\":\"RECORD\",\"record\":{\"stream\":\"x\",\"data\":{\"a\":1}},\"record\":{\"stream\":\"s\",\"data\":{\"b\":2}}}");
        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(200)).append("\"\\\\\"").append("]".repeat(200));
        same(record("{\"deep\":" + deep + "}"));
    }

    @Test
    void missingAndExtraFieldsFromRecordToRecord() throws Exception {
        same(record("{\"id\":1,\"name\":\"a\"}"));
        same(record("{\"id\":2}"));
        same(record("{\"name\":\"b\",\"id\":3,\"new\":{\"x\":1}}"));
        same(record("{\"id\":4,\"name\":\"a\"}"));
        // the scanner hands out the same name String for the same name in the same place
        byte[] a = record("{\"id\":1,\"name\":\"a\"}").getBytes(StandardCharsets.UTF_8);
        scanner.scan(a, a.length);
        String first = scanner.fields().name(1);
        scanner.scan(a, a.length);
        assertTrue(first == scanner.fields().name(1));
    }

    @Test
    void hugeValues() throws Exception {
        String big = "x".repeat(3 << 20);
        same(record("{\"big\":\"" + big + "\",\"n\":1}"));
        String bigEscaped = "a\\tb\\\\c\\u00e9\\n".repeat(300_000);
        same(record("{\"big\":\"" + bigEscaped + "\",\"o\":{\"k\":\"" + bigEscaped + "\"}}"));
    }

    @Test
    void leavesOtherMessagesAndDoubtfulLinesToTheGeneralPath() {
        for (String line : List.of(
                "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"hi\"}}",
                "{\"type\":\"STATE\",\"state\":{\"data\":{}}}",
                "not json at all",
                "",
                "{}",
                record("{\"a\":tru}"), record("{\"a\":01}"), record("{\"a\":1.}"), record("{\"a\":-}"), record("{\"a\":.5}"),
                record("{\"a\":\"x\ty\"}"), record("{\"a\":\"ab\\u12\"}"), record("{\"a\":\"\\x\"}"), record("{\"a\":1,}"),
                record("{\"a\" 1}"), record("[1]"), record("\"str\""), record("{\"a\":[1,]}"), record("{\"a\":{\"b\"}}"),
                record("{\"a\":NaN}"), record("{\"a\":'x'}"), record("{\"a\":1}") + " trailing",
                record("{\"a\":1}").substring(0, 40),
                "{\"type\":\"RECORD\",\"record\":{\"data\":{\"a\":1}}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"\",\"data\":{\"a\":1}}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\"}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\\u0041\",\"data\":{}}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"n\\u0041me\":1}}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{},\"emitted_at\":1.5}}",
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{},\"emitted_at\":\"1\"}}",
                "{\"type\":\"R\\u0045CORD\",\"record\":{\"stream\":\"s\",\"data\":{}}}",
                "{\"type\":\"RECORD\",\"record\":null}",
                "\uFEFF" + record("{}"),
                record("{\"deep\":" + "[".repeat(1001) + "]".repeat(1001) + "}"))) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            assertFalse(scanner.scan(b, b.length), line.length() > 200 ? line.substring(0, 200) : line);
        }
        byte[] invalidUtf8 = record("{\"a\":\"x\u00e9\"}").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 6] = (byte) 0xFF; // the continuation byte of é
        assertFalse(scanner.scan(invalidUtf8, invalidUtf8.length));
        byte[] overlong = record("{\"a\":\"xx\"}").getBytes(StandardCharsets.UTF_8);
        overlong[overlong.length - 7] = (byte) 0xC0;
        overlong[overlong.length - 6] = (byte) 0xAF; // an overlong '/'
        assertFalse(scanner.scan(overlong, overlong.length));
    }

    /** Random damage to valid lines: whatever the scanner still takes, the general path reads the same. */
    @Test
    void damagedLinesNeverMeanSomethingElse() throws Exception {
        Random random = new Random(7);
        List<byte[]> seeds = new ArrayList<>();
        for (String data : List.of("{\"id\":12,\"s\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\",\"o\":{\"k\":[1,-2.5e3,true,null]},\"n\":null}",
                "{\"é\":\"ü€😀\",\"x\":\"\\n\\t\",\"e\":\"\",\"f\":false,\"g\":0}")) {
            seeds.add(record(data).getBytes(StandardCharsets.UTF_8));
        }
        byte[] alphabet = "\"\\{}[],:0123456789-+.eEtfnu \t\r\nabcx\u0001".getBytes(StandardCharsets.UTF_8);
        byte[] high = {(byte) 0xC3, (byte) 0xA9, (byte) 0x80, (byte) 0xFF, (byte) 0xED, (byte) 0xF0, (byte) 0xC0};
        int taken = 0;
        for (int n = 0; n < 100_000; n++) {
            byte[] line = seeds.get(random.nextInt(seeds.size())).clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                byte c = random.nextInt(8) == 0 ? high[random.nextInt(high.length)] : alphabet[random.nextInt(alphabet.length)];
                int at = random.nextInt(line.length);
                line = switch (random.nextInt(3)) {
                    case 0 -> { line[at] = c; yield line; }
                    case 1 -> { byte[] l = new byte[line.length + 1]; System.arraycopy(line, 0, l, 0, at); l[at] = c;
                        System.arraycopy(line, at, l, at + 1, line.length - at); yield l; }
                    default -> { byte[] l = new byte[line.length - 1]; System.arraycopy(line, 0, l, 0, at);
                        System.arraycopy(line, at + 1, l, at, line.length - at - 1); yield l; }
                };
            }
            if (agreesIfTaken(line)) {
                taken++;
            }
        }
        assertTrue(taken > 1000, "too few damaged lines were still valid records: " + taken);
    }
}
