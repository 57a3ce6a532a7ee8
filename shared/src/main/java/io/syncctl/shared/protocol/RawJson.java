package io.syncctl.shared.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A JSON value exactly as the connector wrote it: a slice of the line it came in, neither parsed into
 * a tree nor re-serialised. Records are the bulk of a sync, and most destinations either pass them on
 * verbatim or read their fields once, so keeping the bytes is the cheapest representation.
 * The slice shares the line's array: it is valid while the current message is handled.
 */
public record RawJson(byte[] bytes, int offset, int length) {

    public static RawJson of(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new RawJson(b, 0, b.length);
    }

    public String text() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }
}
