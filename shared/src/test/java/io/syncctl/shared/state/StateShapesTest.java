package io.syncctl.shared.state;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class StateShapesTest {

    @Test
    void theConsolesShapesOfNewRowsPassThroughAsTheSameText() {
        String legacy = "{ \"cursor\" : 1.50 }";
        String streams = "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":\"public\"},"
                + "\"stream_state\":{\"cursor\":\"2024-01-02\"}}}, {\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
                + "{\"name\":\"a\"},\"stream_state\":{\"type\":\"x\"}}}]";
        String global = "[{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":1e3},\"stream_states\":[]}}]";
        assertSame(legacy, StateShapes.unwrap(legacy));
        assertSame(streams, StateShapes.unwrap(streams));
        assertSame(global, StateShapes.unwrap(global));
        assertSame("[]", StateShapes.unwrap("[]"));
        assertSame("[not json", StateShapes.unwrap("[not json"));
    }

    @Test
    void aStreamRowOfAnEarlierVersionIsUnwrappedKeepingTheConsolesDescriptor() {
        String wrapped = "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":\"public\"},"
                + "\"stream_state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
                + "\"stream_state\":{\"cursor\":12345678901234567890.000000000001}}}}},"
                + "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"b\"},\"stream_state\":{\"c\":2}}}]";
        assertEquals("[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":\"public\"},"
                        + "\"stream_state\":{\"cursor\":12345678901234567890.000000000001}}},"
                        + "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"b\"},\"stream_state\":{\"c\":2}}}]",
                StateShapes.unwrap(wrapped));
    }

    @Test
    void aGlobalRowOfAnEarlierVersionIsUnwrapped() {
        String wrapped = "[{\"type\":\"GLOBAL\",\"global\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":7},"
                + "\"stream_states\":[{\"stream_descriptor\":{\"name\":\"a\"},\"stream_state\":{\"x\":1}}]}}}]";
        assertEquals("[{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":7},"
                + "\"stream_states\":[{\"stream_descriptor\":{\"name\":\"a\"},\"stream_state\":{\"x\":1}}]}}]", StateShapes.unwrap(wrapped));
    }

    @Test
    void onlyWholeStateObjectsCountAsWrapped() {
        // a connector's own state that happens to have a "type" field is left alone
        String ownType = "[{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"a\"},"
                + "\"stream_state\":{\"type\":\"STREAM\",\"stream\":\"not an object\"}}},"
                + "{\"type\":\"GLOBAL\",\"global\":{\"type\":\"GLOBAL\",\"shared_state\":{}}}]";
        assertSame(ownType, StateShapes.unwrap(ownType));
    }
}
