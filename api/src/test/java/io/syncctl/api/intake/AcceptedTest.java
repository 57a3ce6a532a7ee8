package io.syncctl.api.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written 200 body is byte for byte what Jackson writes for the record. */
class AcceptedTest {
    static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void writesWhatJacksonWrites() throws Exception {
        for (Accepted a : new Accepted[]{
                Accepted.of("t-1"),
                Accepted.of("0b8e3c1a-8d5e-4b7e-9a51-3f1c2d7e6a90").withStartedAt(1_790_000_000L),
                Accepted.of("t.2").withMessage("task 't.2' already exists; nothing new was queued"),
                Accepted.of("odd \"quoted\" \\ back\nslash\t\u0001 é ☃").withMessage("\u001f")}) {
            assertEquals(JACKSON.writeValueAsString(a), AcceptedWriter.json(a));
        }
    }
}
