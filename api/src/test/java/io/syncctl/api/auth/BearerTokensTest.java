package io.syncctl.api.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected digests computed independently: {@code python3 -c "import hashlib; ..."} (see each test). */
class BearerTokensTest {
    // hashlib.sha512(b"toksaltsec").hexdigest()
    static final String TOK_SALT_SEC_HEX = "ace1e1857fa9a2c250eb45d118cc3e29e41a515d9bd50b29ab9839fd26731427"
            + "a6a9cd08cda44437146a4dd973cb79f25a9a75f22fc5291d9ee268b6ef76dda1";
    // hashlib.sha512(b"default" + b"s1" + b"dea42a58-acf4-45af-85bb-e77e94bd5025").hexdigest()
    static final String DEFAULT_S1_SEED_HEX = "af0722a2e5a7e95729fb0476c47ca7106312e96f3036bb751a2e2e708b4aeaf0"
            + "e64bf0bfc59c3bec33fc56ba919cd6bae1406134ddcac00eae6be5fbb03296e1";
    // base64.b64encode(hashlib.sha512(b"toksalt").digest()).rstrip(b"=")
    static final String TOK_SALT_NO_SECRET_B64 = "QAoOcHDUYpxnlzdpZr86tMcVCaoIA7RdpEZUUpml4siEoOZWbVIsmsCM29KUU4OjLd//oSp9ZSbtLEmxJH1f4A";
    // base64.b64encode(hashlib.sha512(b"toksaltsec2").digest()).rstrip(b"=")
    static final String TOK_SALT_SEC2_B64 = "frv8SumEQR0n8f2L+hRlAAzIsp4shCoHmWzRX8x4PoLZP0w/X8pm0NrZc3F45BfkFvMiq1rhVUBa0le9TNyOug";

    static BearerTokens hashed(String entry, List<String> secrets) {
        return new BearerTokens(List.of(entry), List.of(), secrets);
    }

    @Test
    void hexHashIsSha512OfTokenSaltSecret() {
        assertEquals("salt." + TOK_SALT_SEC_HEX, BearerTokens.hexEntry("tok", "salt", "sec"));
        assertTrue(hashed("salt." + TOK_SALT_SEC_HEX, List.of("sec")).accepts("tok"));
        assertFalse(hashed("salt." + TOK_SALT_SEC_HEX, List.of("other")).accepts("tok"));
        assertFalse(hashed("salt." + TOK_SALT_SEC_HEX, List.of("sec")).accepts("tok2"));
        assertTrue(hashed("salt." + TOK_SALT_SEC_HEX.toUpperCase(), List.of("sec")).accepts("tok"));
    }

    @Test
    void hexHashWithAnEmptySecretUsesGosDefaultSeed() {
        assertTrue(hashed("s1." + DEFAULT_S1_SEED_HEX, List.of("")).accepts("default"));
        assertTrue(hashed("s1." + DEFAULT_S1_SEED_HEX, List.of()).accepts("default"), "no SYNCCTL_TOKEN_SECRET at all");
        assertTrue(hashed("s1." + DEFAULT_S1_SEED_HEX, List.of(BearerTokens.DEFAULT_SEED)).accepts("default"));
        assertFalse(hashed("s1." + DEFAULT_S1_SEED_HEX, List.of("x")).accepts("default"));
        assertEquals("s1." + DEFAULT_S1_SEED_HEX, BearerTokens.hexEntry("default", "s1", ""));
    }

    @Test
    void base64HashIsUnpaddedStandardBase64AndAnEmptySecretStaysEmpty() {
        assertTrue(hashed("salt." + TOK_SALT_NO_SECRET_B64, List.of("")).accepts("tok"));
        assertFalse(hashed("salt." + TOK_SALT_NO_SECRET_B64, List.of(BearerTokens.DEFAULT_SEED)).accepts("tok"));
        assertTrue(hashed("salt." + TOK_SALT_NO_SECRET_B64 + "==", List.of("")).accepts("tok"), "padding is tolerated");
        assertEquals("salt." + TOK_SALT_SEC2_B64, BearerTokens.base64Entry("tok", "salt", "sec2"));
    }

    @Test
    void eachSecretIsTriedInTurn() {
        BearerTokens tokens = new BearerTokens(List.of("salt." + TOK_SALT_SEC_HEX, "salt." + TOK_SALT_SEC2_B64), List.of(),
                List.of("first", "sec", "sec2"));
        assertTrue(tokens.accepts("tok"));
        assertFalse(tokens.accepts("tok3"));
        assertTrue(hashed("salt." + TOK_SALT_SEC2_B64, List.of("sec", "sec2")).accepts("tok"));
        assertFalse(hashed("salt." + TOK_SALT_SEC2_B64, List.of("sec")).accepts("tok"));
    }

    @Test
    void rawTokensArePlainAndSoIsADotlessHashedEntry() {
        BearerTokens tokens = new BearerTokens(List.of("legacy-plain"), List.of("default", "second"), List.of(""));
        assertTrue(tokens.accepts("default"));
        assertTrue(tokens.accepts("second"));
        assertTrue(tokens.accepts("legacy-plain"));
        assertFalse(tokens.accepts("defaul"));
        assertFalse(tokens.accepts("default "));
        assertTrue(new BearerTokens(List.of(), List.of("a.b"), List.of()).accepts("a.b"), "a raw token may hold dots");
    }

    @Test
    void entriesAreClassifiedAsGoDoes() {
        assertInstanceOf(BearerTokens.Plain.class, BearerTokens.entry("plain-token"));
        assertInstanceOf(BearerTokens.HexHash.class, BearerTokens.entry("x." + "0".repeat(128)));
        assertInstanceOf(BearerTokens.HexHash.class, BearerTokens.entry("a.b"));
        assertInstanceOf(BearerTokens.Base64Hash.class, BearerTokens.entry("x." + TOK_SALT_SEC2_B64));
        // Go takes the part between the first and second dot as the hash
        assertTrue(hashed("salt." + TOK_SALT_SEC_HEX + ".ignored", List.of("sec")).accepts("tok"));
    }

    @Test
    void noTokensMeansNoAuth() {
        assertFalse(new BearerTokens(List.of(), List.of(), List.of("")).required());
        assertTrue(new BearerTokens(List.of(), List.of("t"), List.of("")).required());
        assertFalse(new BearerTokens(List.of("t"), List.of("t"), List.of("")).accepts(null));
        assertFalse(new BearerTokens(List.of("t"), List.of("t"), List.of("")).accepts(""));
    }
}
