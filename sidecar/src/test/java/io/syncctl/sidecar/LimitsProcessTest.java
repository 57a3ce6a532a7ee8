package io.syncctl.sidecar;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sidecar's bounds, through real FIFOs: TASK_LOG_MAX_LINES and MAX_LINE_BYTES. */
class LimitsProcessTest extends WithTestDatabase {

    @Test
    void taskLogKeepsAtMostTheLimitThenOneLineSayingHowManyWereDropped() throws Exception {
        String[] lines = new String[1000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "line " + i;
        }
        long uncapped = check("uncapped", null, lines);
        assertTrue(uncapped > 1000, "every line is logged without a cap: " + uncapped);

        check("capped", "100", lines);
        assertEquals(Map.of("status", "SUCCESS", "description", ""),
                db.row("SELECT status, coalesce(description, '') AS description FROM source_check WHERE key = 'capped'"),
                "the task's outcome is not affected by the cap");
        List<String> logged = db.column("SELECT message FROM task_log WHERE task_id = 'capped-task' ORDER BY \"timestamp\"");
        assertEquals(101, logged.size(), "100 lines and the summary");
        List<String> connector = db.column("SELECT message FROM task_log WHERE task_id = 'capped-task' AND logger <> 'jitsu' ORDER BY \"timestamp\"");
        assertTrue(connector.size() > 90, "the connector's first lines are kept: " + connector.size());
        for (int i = 0; i < connector.size(); i++) {
            assertEquals("line " + i, connector.get(i), "the first lines are kept, in order");
        }
        assertEquals((uncapped - 100) + " more log lines of this task were dropped: task_log keeps at most 100 lines per task "
                + "(SYNCCTL_TASK_LOG_MAX_LINES)", logged.get(100));
    }

    /** Runs a successful check that logs {@code lines}; returns how many task_log rows it wrote. */
    private long check(String key, String maxLines, String... lines) throws Exception {
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", key).env("TASK_ID", key + "-task")) {
            if (maxLines != null) {
                p.env("TASK_LOG_MAX_LINES", maxLines);
            }
            p.start().out(lines).out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        return db.column("SELECT message FROM task_log WHERE task_id = '" + key + "-task'").size();
    }

    @Test
    void aLineLongerThanTheLimitFailsTheTaskWithAClearReason() throws Exception {
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "long-line").env("MAX_LINE_BYTES", "1000").start()) {
            p.out("short line", "x".repeat(5000), "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}")
                    .closePipes();
            assertNotEquals(0, p.exitCode(), p.processOutput());
        }
        Map<String, String> row = db.row("SELECT status, description FROM source_check WHERE key = 'long-line'");
        assertEquals("FAILED", row.get("status"));
        assertTrue(row.get("description").contains("the connector's stdout failed: a line longer than 1000 bytes (MAX_LINE_BYTES) "
                + "was refused"), row.get("description"));
    }
}
