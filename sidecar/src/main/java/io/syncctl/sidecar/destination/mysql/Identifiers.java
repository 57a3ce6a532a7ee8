package io.syncctl.sidecar.destination.mysql;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * MySQL identifiers (databases, tables, columns) made from names we do not control, adapted as Bulker's
 * MySQL adapter adapts them, so tables and columns land where the Go sidecar put them: each run of
 * characters other than letters, digits, {@code _}, space, {@code $} and {@code -} becomes {@code _}, an
 * empty name is {@code _unnamed}, a name with nothing left is {@code <kind>_<hash>}. Two rules of the
 * server are applied on top (Bulker would fail on them): identifiers hold only characters of the Basic
 * Multilingual Plane, and may not end with a space. Names longer than Bulker's 63 characters (the server
 * allows 64) keep their first 54 characters plus {@code _} and 8 hex digits of the SHA-256 of the whole
 * name, so long names sharing a prefix stay distinct and stable across runs. Every identifier is quoted
 * with backticks.
 */
public final class Identifiers {
    static final int MAX_CHARS = 63;
    private static final int HASH_CHARS = 8;
    private static final Pattern UNSUPPORTED = Pattern.compile("[^\\p{L}_\\d $-]+");
    private static final Pattern TRAILING_SPACES = Pattern.compile(" +$");

    private Identifiers() {
    }

    /**
     * @param kind      {@code table} or {@code column}: the prefix of a name made of a hash
     * @param lowerCase {@code toSameCase}: lower-case first
     */
    public static String adapt(String name, String kind, boolean lowerCase) {
        String n = lowerCase ? name.toLowerCase(Locale.ROOT) : name;
        if (n.isEmpty()) {
            return "_unnamed";
        }
        String a = UNSUPPORTED.matcher(n).replaceAll("_");
        if (a.equals("_") && !n.equals("_")) {
            return kind + "_" + hash(n);
        }
        StringBuilder bmp = new StringBuilder(a.length());
        a.codePoints().forEach(cp -> bmp.append(cp > 0xFFFF ? '_' : (char) cp));
        a = TRAILING_SPACES.matcher(bmp).replaceAll(m -> "_".repeat(m.group().length()));
        return fit(a);
    }

    /** The name cut to {@value #MAX_CHARS} characters with a hash of the whole name (already adapted names only). */
    static String fit(String n) {
        if (n.length() <= MAX_CHARS) {
            return n;
        }
        return n.substring(0, MAX_CHARS - HASH_CHARS - 1) + "_" + hash(n);
    }

    /** {@code `name`} with embedded backticks doubled. */
    public static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }

    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    static String hash(String s) {
        return io.syncctl.sidecar.destination.postgres.Identifiers.hash(s).substring(0, HASH_CHARS);
    }
}
