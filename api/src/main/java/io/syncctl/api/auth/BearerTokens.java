package io.syncctl.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokens of {@code SYNCCTL_AUTH_TOKENS} (CONTRACT section 1): each entry is a plain token, or
 * {@code salt.hash} with {@code hash = hex(sha512(token + salt + SYNCCTL_TOKEN_SECRET))}, so the
 * operator's configuration need not contain usable tokens. An entry is salted when it is
 * {@code <salt>.<128 hex digits>}; anything else is a plain token.
 *
 * <p>Verification compares with {@link MessageDigest#isEqual} (constant time for equal lengths) and
 * checks every entry, so the answer time does not tell which entry came close.
 */
public final class BearerTokens {
    private static final Pattern SALTED = Pattern.compile("^([^.]+)\\.([0-9a-fA-F]{128})$");

    sealed interface Entry permits Plain, Salted {
        boolean matches(byte[] presented, String presentedText, String secret);
    }

    record Plain(byte[] token) implements Entry {
        public boolean matches(byte[] presented, String presentedText, String secret) {
            return MessageDigest.isEqual(token, presented);
        }
    }

    record Salted(String salt, byte[] hexHash) implements Entry {
        public boolean matches(byte[] presented, String presentedText, String secret) {
            byte[] computed = HexFormat.of().formatHex(sha512(presentedText + salt + secret)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(hexHash, computed);
        }
    }

    private final List<Entry> entries;
    private final String secret;

    public BearerTokens(List<String> configured, String secret) {
        this.entries = configured.stream().map(BearerTokens::entry).toList();
        this.secret = secret == null ? "" : secret;
    }

    /** No tokens configured: the api is open (CONTRACT: "Unset variable: no auth"). */
    public boolean required() {
        return !entries.isEmpty();
    }

    public boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (Entry e : entries) {
            ok |= e.matches(bytes, presented, secret);
        }
        return ok;
    }

    static Entry entry(String configured) {
        Matcher m = SALTED.matcher(configured);
        if (m.matches()) {
            return new Salted(m.group(1), m.group(2).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
        return new Plain(configured.getBytes(StandardCharsets.UTF_8));
    }

    /** For operators and tests: the {@code salt.hash} entry of a token. */
    public static String saltedEntry(String token, String salt, String secret) {
        return salt + "." + HexFormat.of().formatHex(sha512(token + salt + (secret == null ? "" : secret)));
    }

    private static byte[] sha512(String s) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
