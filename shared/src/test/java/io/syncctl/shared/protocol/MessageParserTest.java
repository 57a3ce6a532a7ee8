package io.syncctl.shared.protocol;

import io.syncctl.shared.protocol.AirbyteMessage.StateType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageParserTest {
    private final MessageParser parser = new MessageParser();

    private AirbyteMessage parse(String line) throws Exception {
        return parser.parse(line);
    }

    @Test
    void recordKeepsDataVerbatimWhateverTheFieldOrder() throws Exception {
        var r = assertInstanceOf(AirbyteMessage.Record.class, parse(
                "{\"record\":{\"data\": {\"a\" : 1,\"b\":[1, {\"c\":\"\\u00e9\"}]} ,\"emitted_at\":17,\"stream\":\"users\",\"namespace\":\"public\"},\"type\":\"RECORD\"}"));
        assertEquals("public.users", r.stream().key());
        assertEquals(17, r.emittedAt());
        assertEquals("{\"a\" : 1,\"b\":[1, {\"c\":\"\\u00e9\"}]}", r.data().text());
    }

    @Test
    void recordOfSeveralMegabytesIsParsed() throws Exception {
        String big = "x".repeat(30_000_000);
        var r = assertInstanceOf(AirbyteMessage.Record.class,
                parse("{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"blob\":\"" + big + "\"}}}"));
        assertEquals("{\"blob\":\"".length() + big.length() + "\"}".length(), r.data().length());
        assertEquals("s", r.stream().key());
    }

    @Test
    void smallMessages() throws Exception {
        var log = assertInstanceOf(AirbyteMessage.Log.class, parse("{\"type\":\"LOG\",\"log\":{\"level\":\"WARN\",\"message\":\"hm\"}}"));
        assertEquals("WARN", log.level());
        assertEquals("hm", log.message());
        var spec = assertInstanceOf(AirbyteMessage.Spec.class, parse("{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{}}}"));
        assertTrue(spec.spec().has("connectionSpecification"));
        var ok = assertInstanceOf(AirbyteMessage.ConnectionStatus.class,
                parse("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}"));
        assertTrue(ok.succeeded());
        var bad = assertInstanceOf(AirbyteMessage.ConnectionStatus.class,
                parse("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"no\"}}"));
        assertFalse(bad.succeeded());
        assertEquals("no", bad.message());
        assertInstanceOf(AirbyteMessage.Catalog.class, parse("{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[]}}"));
        var ctl = assertInstanceOf(AirbyteMessage.Control.class,
                parse("{\"type\":\"CONTROL\",\"control\":{\"type\":\"CONNECTOR_CONFIG\",\"connectorConfig\":{}}}"));
        assertEquals("CONNECTOR_CONFIG", ctl.type());
        assertEquals(new AirbyteMessage.Unknown("ANALYTICS"), parse("{\"type\":\"ANALYTICS\"}"));
    }

    @Test
    void states() throws Exception {
        var legacy = assertInstanceOf(AirbyteMessage.State.class, parse("{\"type\":\"STATE\",\"state\":{\"data\":{\"c\":1}}}"));
        assertEquals(StateType.LEGACY, legacy.type());
        assertEquals("{\"c\":1}", legacy.stored().toString());
        var stream = assertInstanceOf(AirbyteMessage.State.class, parse(
                "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"u\",\"namespace\":\"n\"},\"stream_state\":{\"c\":2}}}}"));
        assertEquals(StateType.STREAM, stream.type());
        assertEquals("n.u", stream.stream().key());
        assertEquals(2, stream.stored().path("stream").path("stream_state").path("c").asInt());
        var global = assertInstanceOf(AirbyteMessage.State.class,
                parse("{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{}}}}"));
        assertEquals(StateType.GLOBAL, global.type());
        assertNull(global.stream());
    }

    @Test
    void traces() throws Exception {
        var err = assertInstanceOf(AirbyteMessage.TraceError.class, parse(
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":1,\"error\":{\"message\":\"boom\",\"failure_type\":\"system_error\",\"stream_descriptor\":{\"name\":\"s\"}}}}"));
        assertEquals("boom", err.message());
        assertEquals("s", err.stream().key());
        var status = assertInstanceOf(AirbyteMessage.StreamStatus.class, parse(
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"stream_status\":{\"stream_descriptor\":{\"name\":\"s\"},\"status\":\"COMPLETE\"}}}"));
        assertEquals("COMPLETE", status.status());
        var est = assertInstanceOf(AirbyteMessage.Estimate.class, parse(
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"estimate\":{\"name\":\"s\",\"type\":\"STREAM\",\"row_estimate\":10}}}"));
        assertEquals(10, est.rowEstimate());
        assertEquals(-1, est.byteEstimate());
    }

    @Test
    void thingsThatAreNotMessages() {
        for (String line : new String[]{"INFO starting", "", "[1,2]", "{\"level\":\"info\"}", "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"a\":",
                "{\"type\":\"RECORD\"}", "{\"type\":\"LOG\"}", "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{}}}"}) {
            assertThrows(MessageParser.NotAMessage.class, () -> parse(line), line);
        }
    }
}
