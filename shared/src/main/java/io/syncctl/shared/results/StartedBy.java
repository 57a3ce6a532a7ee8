package io.syncctl.shared.results;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The {@code startedBy} query parameter becomes {@code source_task.started_by}, a {@code json} column
 * here and {@code jsonb} where the console created the table. The console sends JSON
 * ({@code {"trigger":"manual",...}}); scripts may send plain text. What is stored is always valid
 * JSON that both column types take, so the row of an accepted read can always be written.
 */
final class StartedBy {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Escapes jsonb refuses: NUL, and UTF-16 surrogates (a lone one is an error, a pair we do not judge). */
    private static final Pattern JSONB_REFUSES = Pattern.compile("\\\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})");

    private StartedBy() {
    }

    /** One JSON value that jsonb takes is stored as sent; anything else as a JSON string of the text; null stays null. */
    static String json(String startedBy) {
        if (startedBy == null) {
            return null;
        }
        return storableAsSent(startedBy) ? startedBy : quote(startedBy);
    }

    /**
     * Exactly one JSON value (nothing after it: {@code true story} is text), with no escape jsonb
     * refuses and no number with an exponent ({@code 1e999999} overflows jsonb's numeric, {@code 1e9999}
     * would be stored as ten thousand digits).
     */
    static boolean storableAsSent(String s) {
        if (s.isBlank() || JSONB_REFUSES.matcher(s).find()) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(s)) {
            int depth = 0;
            int values = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0 && ++values > 1) {
                    return false;
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                } else if (t.isNumeric() && p.getText().matches(".*[eE].*")) {
                    return false;
                }
            }
            return values == 1;
        } catch (IOException e) {
            return false;
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
