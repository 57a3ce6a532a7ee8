package io.syncctl.sidecar.destination.postgres;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentifiersTest {
    @Test
    void quotesEverything() {
        assertEquals("\"select\"", Identifiers.quote("select"));
        assertEquals("\"a \"\"b\"\" C\"", Identifiers.quote("a \"b\" C"));
        assertEquals("\"s\".\"T x\"", Identifiers.qualified("s", "T x"));
    }

    @Test
    void shortNamesStayAsTheyAre() {
        assertEquals("Mixed Case", Identifiers.fit("Mixed Case", false));
        assertEquals("mixed case", Identifiers.fit("Mixed Case", true));
        String exactly63 = "x".repeat(63);
        assertEquals(exactly63, Identifiers.fit(exactly63, false));
    }

    @Test
    void longNamesAreShortenedDeterministicallyAndStayDistinct() {
        String a = "p".repeat(70) + "_a";
        String b = "p".repeat(70) + "_b";
        String fa = Identifiers.fit(a, false);
        assertEquals(fa, Identifiers.fit(a, false));
        assertNotEquals(fa, Identifiers.fit(b, false));
        assertEquals(63, fa.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(fa.startsWith("p".repeat(54) + "_"));
    }

    @Test
    void multiByteNamesAreCutOnCharacterBoundaries() {
        String name = "é".repeat(40); // 80 bytes
        String fit = Identifiers.fit(name, false);
        assertTrue(fit.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(fit.startsWith("é".repeat(27) + "_"));
    }

    @Test
    void tableNamesAreAdaptedAsBulkerDoes() {
        assertEquals("public_users", Identifiers.table("public.users", false));
        assertEquals("Table With _Quotes_ And Spaces", Identifiers.table("Table With \"Quotes\" And Spaces", false));
        assertEquals("université-x $1", Identifiers.table("Université-X $1", true));
        assertEquals("Strange Table Name_ DROP DATABASE public_", Identifiers.table("Strange Table Name; DROP DATABASE public;", false));
        assertEquals("_unnamed", Identifiers.table("", false));
        assertTrue(Identifiers.table("!!", false).startsWith("table_"));
    }
}
