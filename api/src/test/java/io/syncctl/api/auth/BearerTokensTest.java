package io.syncctl.api.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BearerTokensTest {

    @Test
    void saltedEntryIsSha512OfTokenSaltSecretInHex() {
        // sha512("tok" + "salt" + "sec") computed independently: printf 'toksaltsec' | sha512sum
        String entry = BearerTokens.saltedEntry("tok", "salt", "sec");
        assertEquals("salt.ace1e1857fa9a2c250eb45d118cc3e29e41a515d9bd50b29ab9839fd26731427a6a9cd08cda44437146a4dd973cb79f25a9a75f22fc5291d9ee268b6ef76dda1", entry);
        assertTrue(new BearerTokens(List.of(entry), "sec").accepts("tok"));
        assertFalse(new BearerTokens(List.of(entry), "other").accepts("tok"));
        assertTrue(new BearerTokens(List.of(entry.toUpperCase().replace("SALT.", "salt.")), "sec").accepts("tok"));
    }

    @Test
    void entriesAreClassified() {
        assertInstanceOf(BearerTokens.Plain.class, BearerTokens.entry("a.b"));
        assertInstanceOf(BearerTokens.Salted.class, BearerTokens.entry("x." + "0".repeat(128)));
        assertInstanceOf(BearerTokens.Plain.class, BearerTokens.entry("x." + "0".repeat(127)));
    }

    @Test
    void noTokensMeansNoAuth() {
        assertFalse(new BearerTokens(List.of(), "").required());
        assertFalse(new BearerTokens(List.of("t"), "").accepts(null));
        assertFalse(new BearerTokens(List.of("t"), "").accepts(""));
    }
}
