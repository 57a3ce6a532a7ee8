package io.syncctl.sidecar.destination.s3;

import java.util.Collection;
import java.util.Map;

/**
 * CSV lines as Bulker writes them (Go's {@code encoding/csv} under {@code types.CSVMarshaller}): strings
 * as they are, booleans {@code 1}/{@code 0}, numbers and arrays as JSON text, null and missing fields
 * empty; a field is quoted when it holds a comma, a quote, CR or LF, or starts with white space, quotes
 * doubled; lines end with LF.
 */
final class CsvText {
    private CsvText() {
    }

    static String header(Collection<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            field(n, b);
        }
        return b.append('\n').toString();
    }

    static String row(Collection<String> header, Map<String, FlatRecord.Value> fields) {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (String n : header) {
            if (!first) {
                b.append(',');
            }
            first = false;
            FlatRecord.Value v = fields.get(n);
            if (v != null) {
                field(switch (v.kind()) {
                    case NULL -> "";
                    case BOOLEAN -> v.text().equals("true") ? "1" : "0";
                    default -> v.text();
                }, b);
            }
        }
        return b.append('\n').toString();
    }

    static void field(String s, StringBuilder b) {
        if (!needsQuotes(s)) {
            b.append(s);
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        b.append('"');
    }

    static boolean needsQuotes(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.equals("\\.")) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        int first = s.codePointAt(0);
        // Go's unicode.IsSpace: ASCII white space, U+0085, U+00A0 and the Unicode space separators
        return Character.isWhitespace(first) || Character.isSpaceChar(first) || first == 0x85;
    }
}
