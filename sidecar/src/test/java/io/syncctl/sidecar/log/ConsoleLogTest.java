package io.syncctl.sidecar.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.config.LogFormat;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConsoleLogTest {

    @Test
    void textByDefaultOneJsonObjectWithTheTaskWhenAskedFor() throws Exception {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        Map<String, String> task = Map.of("taskId", "run-1", "syncId", "sync-1", "taskType", "read");
        assertEquals("[sidecar] lost \"lines\"\nnext", ConsoleLog.format(LogFormat.TEXT, task, at, "ERROR", "lost \"lines\"\nnext"));

        String line = ConsoleLog.format(LogFormat.JSON, task, at, "ERROR", "lost \"lines\"\nnext");
        assertFalse(line.contains("\n"), "one line: " + line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("2026-12-02T10:00:00Z", json.get("timestamp").asText());
        assertEquals("ERROR", json.get("level").asText());
        assertEquals("sidecar", json.get("loggerName").asText());
        assertEquals("lost \"lines\"\nnext", json.get("message").asText());
        assertEquals("run-1", json.path("mdc").path("taskId").asText());
        assertEquals("sync-1", json.path("mdc").path("syncId").asText());
        assertEquals("read", json.path("mdc").path("taskType").asText());
        // before the settings are read there is no task yet
        assertFalse(new ObjectMapper().readTree(ConsoleLog.format(LogFormat.JSON, Map.of(), at, "ERROR", "bad")).has("mdc"));
    }
}
