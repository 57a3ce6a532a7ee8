package io.syncctl.sidecar;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec, check and discover through real FIFOs into the result tables (CONTRACT section 2). */
class ResultCommandsProcessTest extends WithTestDatabase {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void specSucceedsOverAPlaceholderAndLogsEveryLineInOrderWithItsLevel() throws Exception {
        db.exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('syncctl/source-test', '1.0', NULL, 'pending')");
        try (SidecarProcess p = new SidecarProcess("spec", db).env("TASK_ID", "spec-task-1").start()) {
            p.out("INFO starting up",
                    Msg.log("WARN", "deprecated option"),
                    "this is not json {",
                    "{\"level\":\"debug\",\"msg\":\"json, but not a message\"}",
                    "{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}}",
                    "DEBUG done");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        Map<String, String> spec = db.row("SELECT specs::text AS specs, error FROM source_spec");
        assertEquals(JSON.readTree("{\"connectionSpecification\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}"),
                JSON.readTree(spec.get("specs")));
        assertNull(spec.get("error"));
        List<Map<String, String>> logs = db.rows(
                "SELECT level, logger, message FROM task_log WHERE task_id = 'spec-task-1' AND logger <> 'jitsu' ORDER BY \"timestamp\"");
        assertEquals(List.of(
                Map.of("level", "INFO", "logger", "syncctl/source-test", "message", "INFO starting up"),
                Map.of("level", "WARN", "logger", "syncctl/source-test", "message", "deprecated option"),
                Map.of("level", "INFO", "logger", "syncctl/source-test", "message", "this is not json {"),
                Map.of("level", "INFO", "logger", "syncctl/source-test", "message", "{\"level\":\"debug\",\"msg\":\"json, but not a message\"}"),
                Map.of("level", "DEBUG", "logger", "syncctl/source-test", "message", "DEBUG done")), logs);
    }

    @Test
    void aChattyConnectorsLinesAllLandInOrder() throws Exception {
        String[] lines = new String[5000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i % 2 == 0 ? "line " + i : Msg.log("INFO", "line " + i);
        }
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "chatty").env("TASK_ID", "chatty-task").start()) {
            p.out(lines).out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        List<String> logged = db.column("SELECT message FROM task_log WHERE task_id = 'chatty-task' AND logger <> 'jitsu' ORDER BY \"timestamp\"");
        assertEquals(lines.length, logged.size());
        for (int i = 0; i < lines.length; i++) {
            assertEquals("line " + i, logged.get(i));
        }
    }

    @Test
    void aConnectorThatWritesNothingFailsTheSpecWithAReasonButKeepsAGoodSpec() throws Exception {
        db.exec("DELETE FROM source_spec");
        try (SidecarProcess p = new SidecarProcess("spec", db).start()) {
            p.err("Traceback (most recent call last):", "ERROR: image is broken");
            p.closePipes();
            assertEquals(1, p.exitCode());
        }
        Map<String, String> spec = db.row("SELECT specs, error FROM source_spec");
        assertNull(spec.get("specs"));
        assertEquals("connector exited without a SPEC message: ERROR: image is broken", spec.get("error"));

        db.exec("UPDATE source_spec SET specs = '{\"good\":true}', error = NULL");
        try (SidecarProcess p = new SidecarProcess("spec", db).start()) {
            p.closePipes();
            assertEquals(1, p.exitCode());
        }
        assertEquals(JSON.readTree("{\"good\":true}"), JSON.readTree(db.row("SELECT specs::text AS s FROM source_spec").get("s")));
    }

    @Test
    void checkWritesTheConnectorsAnswer() throws Exception {
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-ok").start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}").closePipes();
            assertEquals(0, p.exitCode());
        }
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-bad").start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"wrong password\"}}").closePipes();
            assertEquals(0, p.exitCode());
        }
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-nomsg").start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\"}}").closePipes();
            assertEquals(0, p.exitCode());
        }
        // no message: "" (the console shows the description; never null)
        assertEquals(List.of(Map.of("key", "key-bad", "status", "FAILED", "description", "wrong password"),
                        Map.of("key", "key-nomsg", "status", "FAILED", "description", ""),
                        Map.of("key", "key-ok", "status", "SUCCESS", "description", "")),
                db.rows("SELECT key, status, description FROM source_check WHERE key IN ('key-ok', 'key-bad', 'key-nomsg') ORDER BY key").stream()
                        .map(r -> { r.values().removeIf(v -> v == null); return r; }).toList());
    }

    @Test
    void aLateAnswerOfACheckThatANewerCheckSupersededIsNotWritten() throws Exception {
        String older = UUID.randomUUID().toString();
        db.exec("INSERT INTO syncctl_task (id, type, package, version, storage_key, accepted_at) VALUES ('" + older
                + "', 'check', 'syncctl/source-test', '1.0', 'key-superseded', now() - interval '1 minute'), ('"
                + UUID.randomUUID() + "', 'check', 'syncctl/source-test', '1.0', 'key-superseded', now())");
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-superseded").env("TASK_ID", older).start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"old password\"}}").closePipes();
            assertEquals(0, p.exitCode());
        }
        assertEquals(List.of(), db.rows("SELECT key FROM source_check WHERE key = 'key-superseded'"),
                "the newer check's pollers still see it pending");
    }

    @Test
    void sigtermOfADiscoverFailsItAsCancelledOnlyWhenACancelWasRequested() throws Exception {
        for (boolean cancelRequested : new boolean[]{true, false}) {
            String id = UUID.randomUUID().toString();
            String key = "key-sigterm-" + cancelRequested;
            db.exec("INSERT INTO syncctl_task (id, type, package, version, storage_key, phase, cancel_requested_at) VALUES ('" + id
                    + "', 'discover', 'syncctl/source-test', '1.0', '" + key + "', 'LAUNCHED', " + (cancelRequested ? "now()" : "NULL") + ")");
            String output;
            try (SidecarProcess p = new SidecarProcess("discover", db).env("STORAGE_KEY", key).env("TASK_ID", id)
                    .config("config.json", "{}").start()) {
                p.out("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"discovering\"}}");
                long end = System.currentTimeMillis() + 30_000;
                while (db.rows("SELECT 1 FROM task_log WHERE task_id = '" + id + "' AND message = 'discovering'").isEmpty()) {
                    assertTrue(System.currentTimeMillis() < end, "the sidecar never logged the connector's line");
                    Thread.sleep(100);
                }
                p.sigterm();
                assertTrue(p.exitCode() != 0);
                output = p.processOutput();
            }
            Map<String, String> result = db.row("SELECT status, description FROM source_catalog WHERE key = '" + key + "'");
            assertEquals("FAILED", result.get("status"), output);
            assertEquals(cancelRequested ? "cancelled" : "stopped by Kubernetes (eviction, drain or preemption)",
                    result.get("description"), output);
        }
    }

    /** The worker ended the task (init timeout, image pull) and deleted the pod: its end stands, not "stopped by Kubernetes". */
    @Test
    void sigtermAfterTheWorkerEndedTheTaskWritesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        String key = "key-sigterm-worker-ended";
        db.exec("INSERT INTO syncctl_task (id, type, package, version, storage_key, phase) VALUES ('" + id
                + "', 'discover', 'syncctl/source-test', '1.0', '" + key + "', 'LAUNCHED')");
        String output;
        try (SidecarProcess p = new SidecarProcess("discover", db).env("STORAGE_KEY", key).env("TASK_ID", id)
                .config("config.json", "{}").start()) {
            p.out("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"discovering\"}}");
            long end = System.currentTimeMillis() + 30_000;
            while (db.rows("SELECT 1 FROM task_log WHERE task_id = '" + id + "' AND message = 'discovering'").isEmpty()) {
                assertTrue(System.currentTimeMillis() < end, "the sidecar never logged the connector's line");
                Thread.sleep(100);
            }
            db.exec("UPDATE syncctl_task SET phase = 'DONE' WHERE id = '" + id + "'");
            p.sigterm();
            p.exitCode(); // a JVM ended by SIGTERM exits 143 whatever its hook did
            output = p.processOutput();
        }
        assertTrue(db.rows("SELECT 1 FROM source_catalog WHERE key = '" + key + "' AND status = 'FAILED'").isEmpty(), output);
    }

    @Test
    void aCheckResultIsWrittenWhereOurInternalTablesCannotBeRead() throws Exception {
        // another controller's deployment (or a role without access): no syncctl_task in the search_path
        String older = UUID.randomUUID().toString();
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-no-internal").env("TASK_ID", older)
                .env("INTERNAL_SCHEMA", "no_such_schema").start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"bad password\"}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(Map.of("status", "FAILED", "description", "bad password"),
                db.row("SELECT status, description FROM source_check WHERE key = 'key-no-internal'"));
    }

    @Test
    void checkOfAConnectorThatDiesMidLineFailsWithThatReason() throws Exception {
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "key-midline").start()) {
            p.rawOut("{\"type\":\"CONNECTION_STATUS\",\"connectionSt").closePipes();
            assertEquals(1, p.exitCode());
        }
        assertEquals(Map.of("status", "FAILED", "description",
                        "connector exited without a CONNECTION_STATUS message (connector output ended in the middle of a message)"),
                db.row("SELECT status, description FROM source_check WHERE key = 'key-midline'"));
    }

    @Test
    void discoverWritesTheCatalogOrTheConnectorsError() throws Exception {
        try (SidecarProcess p = new SidecarProcess("discover", db).env("STORAGE_KEY", "d-ok").start()) {
            p.out("{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"users\",\"json_schema\":{}}]}}").closePipes();
            assertEquals(0, p.exitCode());
        }
        try (SidecarProcess p = new SidecarProcess("discover", db).env("STORAGE_KEY", "d-bad").start()) {
            p.out(Msg.traceError(null, "cannot list tables")).closePipes();
            assertEquals(1, p.exitCode());
        }
        Map<String, String> catalog = db.row("SELECT status, catalog::text AS catalog FROM source_catalog WHERE key = 'd-ok'");
        assertEquals("SUCCESS", catalog.get("status"));
        assertEquals(JSON.readTree("{\"streams\":[{\"name\":\"users\",\"json_schema\":{}}]}"), JSON.readTree(catalog.get("catalog")));
        assertEquals(Map.of("status", "FAILED", "description", "connector exited without a CATALOG message: cannot list tables"),
                db.row("SELECT status, description FROM source_catalog WHERE key = 'd-bad'"));
        assertTrue(db.column("SELECT message FROM task_log WHERE level = 'ERROR' AND logger = 'syncctl/source-test'")
                .contains("cannot list tables"));
    }

    @Test
    void aConnectorThatNeverClosesItsPipesTimesOut() throws Exception {
        try (SidecarProcess p = new SidecarProcess("discover", db).env("STORAGE_KEY", "d-idle").env("IDLE_TIMEOUT", "2s").start()) {
            p.out("INFO connecting...");
            assertEquals(1, p.exitCode());
        }
        assertEquals(Map.of("status", "FAILED", "description", "no message from the connector for 2s"),
                db.row("SELECT status, description FROM source_catalog WHERE key = 'd-idle'"));
    }

    @Test
    void badSettingsStopWithOneLineNamingTheVariable() throws Exception {
        try (SidecarProcess p = new SidecarProcess("chekc", db)) {
            p.startProcess();
            assertEquals(2, p.exitCode());
            assertEquals("[sidecar] COMMAND must be one of spec, check, discover, read", p.processOutput().strip());
        }
    }
}
