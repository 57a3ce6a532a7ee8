package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.protocol.StreamDescriptor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorStateTest {
    private final ObjectMapper json = new ObjectMapper();
    private final StreamDescriptor a = new StreamDescriptor(null, "a");
    private final StreamDescriptor nsB = new StreamDescriptor("ns", "b");

    @Test
    void streamAndGlobalStatesNameTheirStreams() throws Exception {
        PriorState s = PriorState.of(json.readTree("[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"a\"},\"stream_state\":{}}},"
                + "{\"type\":\"GLOBAL\",\"global\":{\"stream_states\":[{\"stream_descriptor\":{\"name\":\"b\",\"namespace\":\"ns\"}}]}}]"));
        assertTrue(s.has(a));
        assertTrue(s.has(nsB));
        assertFalse(s.has(new StreamDescriptor(null, "c")));
    }

    @Test
    void legacyStateCoversEveryStreamAndEmptyCoversNone() throws Exception {
        assertTrue(PriorState.of(json.readTree("{\"a\":{\"cursor\":1}}")).has(nsB));
        assertFalse(PriorState.of(json.readTree("{}")).has(a));
        assertFalse(PriorState.of(json.readTree("[]")).has(a));
        assertFalse(PriorState.of(null).has(a));
    }

    @Test
    void theConsolesShapesOfGoStyleRows() throws Exception {
        // _GLOBAL_STATE row {"shared_state":..} rebuilt as [{"type":"GLOBAL","global":<row>}]
        assertTrue(PriorState.of(json.readTree("[{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":7}}}]")).has(nsB));
        assertFalse(PriorState.of(json.readTree("[{\"type\":\"GLOBAL\",\"global\":{}}]")).has(a));
        // per-stream rows with a namespace, as the console splits "ns.b"
        PriorState s = PriorState.of(json.readTree("[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"b\",\"namespace\":\"ns\"},"
                + "\"stream_state\":{\"cursor\":3}}}]"));
        assertTrue(s.has(nsB));
        assertFalse(s.has(a));
    }

    @Test
    void doubleWrappedRowsOfEarlierVersionsStillCount() throws Exception {
        PriorState s = PriorState.of(json.readTree("[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"a\"},"
                + "\"stream_state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"a\"},\"stream_state\":{\"c\":1}}}}}]"));
        assertTrue(s.has(a));
        assertTrue(PriorState.of(json.readTree("[{\"type\":\"GLOBAL\",\"global\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{}}}}]")).has(a));
    }
}
