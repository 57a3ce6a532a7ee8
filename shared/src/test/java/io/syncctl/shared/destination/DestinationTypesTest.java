package io.syncctl.shared.destination;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.protocol.MessageParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DestinationTypesTest {

    private static JsonNode json(String s) throws Exception {
        return MessageParser.mapper().readTree(s);
    }

    private static String refusal(String config) throws Exception {
        return assertThrows(InvalidDestinationException.class, () -> DestinationTypes.check(json(config))).getMessage();
    }

    @Test
    void aCompleteConfigNamesItsType() throws Exception {
        assertEquals("postgres", DestinationTypes.check(json("""
                {"destinationType":"postgres","host":"db","port":5432,"database":"d","password":"p"}""")).name());
        assertEquals("bulker", DestinationTypes.check(json("{\"destinationType\":\"bulker\",\"url\":\"http://b\"}")).name());
    }

    @Test
    void anUnsupportedTypeIsNamedWithTheSupportedOnes() throws Exception {
        assertEquals("destinationConfig.destinationType 'clickhouse' is not supported; supported: " + DestinationTypes.names(),
                refusal("{\"destinationType\":\"clickhouse\",\"host\":\"h\"}"));
    }

    @Test
    void aMissingTypeIsNamed() throws Exception {
        assertEquals("destinationConfig.destinationType is required; supported: " + DestinationTypes.names(),
                refusal("{\"host\":\"h\"}"));
        assertEquals("destinationConfig.destinationType is required; supported: " + DestinationTypes.names(),
                refusal("{\"destinationType\":42}"));
    }

    @Test
    void aMissingOrBlankFieldIsNamedNeverItsNeighboursValues() throws Exception {
        String m = refusal("{\"destinationType\":\"postgres\",\"host\":\"  \",\"password\":\"s3cret\"}");
        assertEquals("destinationConfig.host is required for destinationType postgres", m);
        assertEquals("destinationConfig.database is required for destinationType postgres",
                refusal("{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":null}"));
        assertEquals("destinationConfig.url is required for destinationType bulker",
                refusal("{\"destinationType\":\"bulker\",\"url\":{}}"));
    }

    @Test
    void aLongTypeIsShortenedInTheMessage() throws Exception {
        String m = refusal("{\"destinationType\":\"" + "x".repeat(500) + "\"}");
        assertEquals(true, m.length() < 200, m);
    }

    @Test
    void notAnObjectIsRefused() throws Exception {
        assertEquals("destinationConfig must be a JSON object", refusal("[1]"));
    }
}
