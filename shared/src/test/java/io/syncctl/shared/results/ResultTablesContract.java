package io.syncctl.shared.results;

import io.syncctl.shared.testing.TestSchemas;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row transition of CONTRACT section 2, against a real PostgreSQL: once on the result tables as
 * the console's Prisma creates them, once on ours (ResultSchema).
 */
abstract class ResultTablesContract extends ResultsOnPostgres {

    @Test
    void specSuccessReplacesAPlaceholderAndFailureNeverOverwritesAGoodSpec() throws Exception {
        exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('src', '1.0', NULL, 'pending')");
        ResultTables.specFailed(c, "src", "1.0", "image not found");
        assertEquals(List.of("null|image not found"), rows("SELECT coalesce(specs::text, 'null') || '|' || error FROM source_spec"));
        ResultTables.specSucceeded(c, "src", "1.0", "{\"b\":1,\"a\":2}");
        ResultTables.specFailed(c, "src", "1.0", "transient");
        assertJson("{\"b\":1,\"a\":2}", one("SELECT specs::text FROM source_spec"));
        assertEquals(List.of("null"), rows("SELECT coalesce(error, 'null') FROM source_spec"));
        assertJson("{\"b\":1,\"a\":2}", ResultTables.specOf(c, "src", "1.0"));
    }

    @Test
    void checkAcceptanceRemovesTheOldResultUntilTheNewOneArrives() throws Exception {
        ResultTables.checkFinished(c, "src", "1.0", "k1", true, null, null);
        ResultTables.checkFinished(c, "src", "1.0", "k2", true, null, null);
        ResultTables.checkAccepted(c, "k1");
        assertEquals(List.of("k2"), rows("SELECT key FROM source_check"));
        ResultTables.checkFinished(c, "src", "1.1", "k1", false, "bad password", null);
        assertEquals(List.of("src:1.1:FAILED:bad password"),
                rows("SELECT package || ':' || version || ':' || status || ':' || description FROM source_check WHERE key = 'k1'"));
        ResultTables.checkAcceptedAll(c, List.of("k1", "k2"));
        assertEquals(List.of(), rows("SELECT key FROM source_check"));
    }

    @Test
    void aLateResultOfACheckThatANewerCheckSupersededIsNotWritten() throws Exception {
        UUID older = acceptCheck("k1", "10 seconds");
        UUID newer = acceptCheck("k1", "1 second");
        UUID otherKey = acceptCheck("k2", "5 seconds");
        ResultTables.checkAccepted(c, "k1");

        assertFalse(ResultTables.checkFinished(c, "src", "1.0", "k1", false, "bad password", older));
        assertEquals(List.of(), rows("SELECT key FROM source_check"), "the newer check's pollers still see it pending");
        assertTrue(ResultTables.checkFinished(c, "src", "1.0", "k1", true, "ok", newer));
        assertFalse(ResultTables.checkFinished(c, "src", "1.0", "k1", false, "bad password", older));
        assertTrue(ResultTables.checkFinished(c, "src", "1.0", "k2", true, "fine", otherKey));
        assertEquals(List.of("k1:SUCCESS:ok", "k2:SUCCESS:fine"),
                rows("SELECT key || ':' || status || ':' || description FROM source_check ORDER BY key"));
        // a task id syncctl does not know (a sidecar run by hand) writes as before
        assertTrue(ResultTables.checkFinished(c, "src", "1.0", "k1", false, "by hand", UUID.randomUUID()));
        assertEquals(List.of("FAILED"), rows("SELECT status FROM source_check WHERE key = 'k1'"));
    }

    @Test
    void aCheckResultIsWrittenWhereTheInternalTablesCannotBeRead() throws Exception {
        // search_path without the internal schema: another controller's deployment, or ours misconfigured
        try (Connection only = DriverManager.getConnection(JDBC + "?currentSchema=" + results, "postgres", null)) {
            assertTrue(ResultTables.checkFinished(only, "src", "1.0", "k1", true, "ok", UUID.randomUUID()));
            only.setAutoCommit(false); // inside a transaction: the transaction stays usable after the skipped guard
            assertTrue(ResultTables.checkFinished(only, "src", "1.0", "k2", false, "bad", UUID.randomUUID()));
            ResultTables.checkAccepted(only, "k3");
            only.commit();
        }
        assertEquals(List.of("k1:SUCCESS", "k2:FAILED"), rows("SELECT key || ':' || status FROM source_check ORDER BY key"));

        // a role that may write the result tables but not read syncctl_task
        String role = TestSchemas.random("role_");
        exec("CREATE ROLE " + role + " NOLOGIN");
        try {
            exec("GRANT USAGE ON SCHEMA " + results + ", " + internal + " TO " + role);
            exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + results + " TO " + role);
            try (Connection restricted = DriverManager.getConnection(JDBC + "?currentSchema=" + results + "," + internal, "postgres", null);
                 Statement st = restricted.createStatement()) {
                st.execute("SET ROLE " + role);
                restricted.setAutoCommit(false);
                assertTrue(ResultTables.checkFinished(restricted, "src", "1.0", "k3", true, "restricted", UUID.randomUUID()));
                restricted.commit();
            }
            assertEquals(List.of("SUCCESS:restricted"), rows("SELECT status || ':' || description FROM source_check WHERE key = 'k3'"));
        } finally {
            exec("DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    private static UUID acceptCheck(String storageKey, String ago) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO syncctl_task (id, type, package, version, storage_key, accepted_at) VALUES ('" + id
                + "', 'check', 'src', '1.0', '" + storageKey + "', now() - interval '" + ago + "')");
        return id;
    }

    @Test
    void discoverIsRunningThenSucceedsAndAStaleFailureNeverOverwritesANewerSuccess() throws Exception {
        Instant firstAccepted = Instant.now().minusSeconds(60);
        ResultTables.discoverAccepted(c, "src", "1.0", "k");
        assertEquals(List.of("RUNNING"), rows("SELECT status FROM source_catalog"));
        ResultTables.discoverSucceeded(c, "src", "1.0", "k", "{\"streams\":[{\"name\":\"z\"},{\"name\":\"a\"}]}");
        ResultTables.discoverFailed(c, "src", "1.0", "k", "late failure of an older task", firstAccepted);
        assertEquals(List.of("SUCCESS"), rows("SELECT status FROM source_catalog"));
        assertJson("{\"streams\":[{\"name\":\"z\"},{\"name\":\"a\"}]}", one("SELECT catalog::text FROM source_catalog"));

        ResultTables.discoverAccepted(c, "src", "1.0", "k");
        assertEquals(List.of("RUNNING|true"), rows("SELECT status || '|' || (catalog IS NOT NULL) FROM source_catalog"));
        ResultTables.discoverFailed(c, "src", "1.0", "k", "connection refused", Instant.now().plusSeconds(1));
        assertEquals(List.of("FAILED|connection refused"), rows("SELECT status || '|' || description FROM source_catalog"));
    }

    @Test
    void aReadIsAcceptedOnceAndEndsOnce() throws Exception {
        assertTrue(ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", "{\"user\":\"u\"}", "queued"));
        assertFalse(ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued"));
        assertEquals(java.util.Set.of("t2", "t3"), ResultTables.readAcceptedAll(c, List.of(
                new ResultTables.AcceptedRead("sync2", "t2", "src", "1.0", "{\"by\":2}", "queued"),
                new ResultTables.AcceptedRead("sync3", "t3", "src", "1.0", null, "queued"),
                new ResultTables.AcceptedRead("sync1", "t1", "src", "1.0", null, "queued"))));
        assertEquals("t1", ResultTables.runningRead(c, "sync1"));
        assertTrue(ResultTables.readProgress(c, "t1", "pod running"));
        assertEquals(List.of("RUNNING|pod running"), rows("SELECT status || '|' || description FROM source_task WHERE task_id = 't1'"));
        assertJson("{\"user\":\"u\"}", one("SELECT started_by::text FROM source_task WHERE task_id = 't1'"));
        assertJson("{\"by\":2}", one("SELECT started_by::text FROM source_task WHERE task_id = 't2'"));
        assertEquals(3, ResultTables.readHeartbeat(c, List.of("t1", "t2", "t3"), 0));

        assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.SUCCESS, "{\"s\":{}}", null, "{\"rows\":5}"));
        assertFalse(ResultTables.readFinished(c, "t1", ReadStatus.FAILED, "pod disappeared", "x", null));
        assertFalse(ResultTables.readProgress(c, "t1", "late"));
        assertNull(ResultTables.runningRead(c, "sync1"));
        assertEquals(List.of("SUCCESS|{\"s\":{}}"), rows("SELECT status || '|' || description FROM source_task WHERE task_id = 't1'"));
    }

    @Test
    void aCancelledReadGetsItsStatisticsWithoutChangingItsStatus() throws Exception {
        ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued");
        assertFalse(ResultTables.readCancelledStatistics(c, "t1", "{\"users\":{}}", "cut", null), "not cancelled yet");
        exec("UPDATE source_task SET status = 'CANCELLED' WHERE task_id = 't1'"); // what /cancel does at once
        assertTrue(ResultTables.readCancelledStatistics(c, "t1", "{\"users\":{\"status\":\"CANCELLED\"}}", "cut", "{\"rows\":3}"));
        assertEquals(List.of("CANCELLED|{\"users\":{\"status\":\"CANCELLED\"}}"),
                rows("SELECT status || '|' || description FROM source_task"));
        assertFalse(ResultTables.readFinished(c, "t1", ReadStatus.FAILED, "late", "x", null), "a terminal status is never overwritten");
    }

    @Test
    void stateIsOneRowPerStreamAndLogsKeepTheirOrder() throws Exception {
        ResultTables.stateSaved(c, "sync1", "public.users", "{\"cursor\":1}");
        ResultTables.stateSaved(c, "sync1", "public.users", "{\"cursor\":2}");
        ResultTables.stateSaved(c, "sync1", "_GLOBAL_STATE", "{\"lsn\":9}");
        assertEquals(List.of("_GLOBAL_STATE", "public.users"), rows("SELECT stream FROM source_state ORDER BY stream"));
        assertJson("{\"cursor\":2}", one("SELECT state::text FROM source_state WHERE stream = 'public.users'"));

        Instant t0 = Instant.now().minusSeconds(1); // the connector's lines came before the worker's own, written now
        try (var ps = ResultTables.prepareLog(c)) {
            for (int i = 0; i < 3; i++) {
                ResultTables.addLog(ps, new LogLine(LogLine.Level.INFO, "src", "line " + i, "sync1", "t1", t0.plusMillis(i)));
            }
            ps.executeBatch();
        }
        ResultTables.log(c, LogLine.ours(LogLine.Level.WARN, "pod deleted", "sync1", "t1"));
        assertEquals(List.of("INFO src line 0", "INFO src line 1", "INFO src line 2", "WARN syncctl pod deleted"),
                rows("SELECT level || ' ' || logger || ' ' || message FROM task_log ORDER BY \"timestamp\""));
        assertEquals(4, new HashSet<>(rows("SELECT id::text FROM task_log")).size(), "every line has its own id");
    }
}
