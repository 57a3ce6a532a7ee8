package io.syncctl.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The accepted bearer tokens (CONTRACT section 1), as the Go controller's router checks them
 * ({@code jitsubase/appbase/router_base.go}):
 * <ul>
 *   <li>{@code SYNCCTL_RAW_AUTH_TOKENS}: plain tokens.</li>
 *   <li>{@code SYNCCTL_AUTH_TOKENS}: entries {@code salt.hash}. A hash of hex digits is
 *       {@code hex(sha512(token + salt + secret))} where an empty secret means {@link #DEFAULT_SEED};
 *       any other hash is the unpadded standard base64 of the same digest with the secret as it is
 *       (Go's older, deprecated form). An entry without a dot is a plain token (the seed README's
 *       promise; Go refuses to start on it).</li>
 *   <li>{@code SYNCCTL_TOKEN_SECRET}: secrets split at commas, each tried in turn.</li>
 * </ul>
 * Comparison is constant-time ({@link MessageDigest#isEqual}) and every entry and secret is tried
 * whatever matched, so the answer time does not tell which entry came close. Hex is compared case-
 * insensitively (Go writes lower case).
 */
public final class BearerTokens {
    /** Go's {@code appbase.DefaultSeed}: the secret of hex-hashed tokens when none is configured. */
    public static final String DEFAULT_SEED = "dea42a58-acf4-45af-85bb-e77e94bd5025";
    private static final Pattern HEX = Pattern.compile("^[a-fA-F0-9]+$");

    sealed interface Entry permits Plain, HexHash, Base64Hash {
    }

    record Plain(byte[] token) implements Entry {
    }

    record HexHash(String salt, byte[] lowerHex) implements Entry {
    }

    record Base64Hash(String salt, byte[] unpadded) implements Entry {
    }

    private final List<Entry> entries;
    private final List<String> secrets;

    /**
     * @param hashed  the entries of {@code SYNCCTL_AUTH_TOKENS}
     * @param raw     the tokens of {@code SYNCCTL_RAW_AUTH_TOKENS}
     * @param secrets the secrets of {@code SYNCCTL_TOKEN_SECRET}; empty means one empty secret
     */
    public BearerTokens(List<String> hashed, List<String> raw, List<String> secrets) {
        List<Entry> all = new ArrayList<>();
        hashed.stream().map(BearerTokens::entry).forEach(all::add);
        raw.stream().map(t -> new Plain(utf8(t))).forEach(all::add);
        this.entries = List.copyOf(all);
        this.secrets = secrets.isEmpty() ? List.of("") : List.copyOf(secrets);
    }

    /** No tokens configured: the api is open (CONTRACT section 1). */
    public boolean required() {
        return !entries.isEmpty();
    }

    public boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] token = utf8(presented);
        boolean ok = false;
        for (Entry e : entries) {
            ok |= switch (e) {
                case Plain p -> MessageDigest.isEqual(p.token(), token);
                case HexHash h -> anySecret(s -> MessageDigest.isEqual(h.lowerHex(),
                        utf8(hex(presented, h.salt(), s.isEmpty() ? DEFAULT_SEED : s))));
                case Base64Hash b -> anySecret(s -> MessageDigest.isEqual(b.unpadded(), utf8(base64(presented, b.salt(), s))));
            };
        }
        return ok;
    }

    private boolean anySecret(java.util.function.Predicate<String> matches) {
        boolean ok = false;
        for (String s : secrets) {
            ok |= matches.test(s);
        }
        return ok;
    }

    static Entry entry(String configured) {
        int dot = configured.indexOf('.');
        if (dot < 0) {
            return new Plain(utf8(configured));
        }
        // as Go's strings.Split(entry, ".")[0] and [1]
        String salt = configured.substring(0, dot);
        int end = configured.indexOf('.', dot + 1);
        String hash = configured.substring(dot + 1, end < 0 ? configured.length() : end);
        if (HEX.matcher(hash).matches()) {
            return new HexHash(salt, utf8(hash.toLowerCase(Locale.ROOT)));
        }
        return new Base64Hash(salt, utf8(hash.replaceAll("=+$", "")));
    }

    /** The {@code salt.hash} entry of a token, hex form (what Go's {@code HashTokenHex} tool prints). */
    public static String hexEntry(String token, String salt, String secret) {
        return salt + "." + hex(token, salt, secret == null || secret.isEmpty() ? DEFAULT_SEED : secret);
    }

    /** The {@code salt.hash} entry of a token, unpadded base64 form (Go's {@code HashTokenBase64}). */
    public static String base64Entry(String token, String salt, String secret) {
        return salt + "." + base64(token, salt, secret == null ? "" : secret);
    }

    private static String hex(String token, String salt, String secret) {
        return HexFormat.of().formatHex(sha512(token + salt + secret));
    }

    private static String base64(String token, String salt, String secret) {
        return Base64.getEncoder().withoutPadding().encodeToString(sha512(token + salt + secret));
    }

    private static byte[] sha512(String s) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(utf8(s));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
