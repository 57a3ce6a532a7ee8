package io.syncctl.sidecar.destination.postgres;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * PostgreSQL identifiers made from names we do not control (stream and field names). Every identifier
 * is double-quoted, so spaces, quotes, capitals and reserved words are kept as they are. Postgres cuts
 * names at 63 bytes, which would silently merge two long names that share a prefix; we shorten them
 * ourselves instead, deterministically, keeping a prefix and adding a hash of the whole name.
 */
public final class Identifiers {
    static final int MAX_BYTES = 63;
    private static final int HASH_CHARS = 8;

    private Identifiers() {
    }

    /** The name as Postgres will store it: NUL removed, at most 63 bytes, optionally lower-cased. */
    public static String fit(String name, boolean lowerCase) {
        String n = name.replace("\u0000", "");
        if (lowerCase) {
            n = n.toLowerCase(Locale.ROOT);
        }
        byte[] utf8 = n.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) {
            return n;
        }
        int keep = MAX_BYTES - HASH_CHARS - 1;
        StringBuilder prefix = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > keep) {
                break;
            }
            prefix.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return prefix + "_" + hash(n).substring(0, HASH_CHARS);
    }

    /** Characters Bulker does not keep in a table or schema name: all but letters, digits, {@code _}, space, {@code $}, {@code -}. */
    private static final java.util.regex.Pattern UNSUPPORTED = java.util.regex.Pattern.compile("[^\\p{L}_\\d $-]+");

    /**
     * A table or schema name as Bulker makes it (so a table is where the Go sidecar put it): optionally
     * lower-cased, each run of other characters (such as the dot of {@code namespace.name}) replaced by
     * {@code _}, then {@link #fit}. A name with nothing left becomes {@code table_<hash>}.
     */
    public static String table(String name, boolean lowerCase) {
        String n = lowerCase ? name.toLowerCase(Locale.ROOT) : name;
        String adapted = n.isEmpty() ? "_unnamed" : UNSUPPORTED.matcher(n).replaceAll("_");
        if (adapted.equals("_") && !n.equals("_")) {
            adapted = "table_" + hash(n).substring(0, HASH_CHARS);
        }
        return fit(adapted, false);
    }

    /** {@code "name"} with embedded quotes doubled. Apply to names already {@link #fit}. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    public static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
