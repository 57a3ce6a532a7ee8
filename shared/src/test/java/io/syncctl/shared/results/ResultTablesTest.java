package io.syncctl.shared.results;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every row transition of CONTRACT section 2, against a real PostgreSQL and the real V1 migration. */
class ResultTablesTest {
    static final String SCHEMA = "results_test";
    static Connection c;

    @BeforeAll
    static void connect() throws Exception {
        c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/syncctl_shared_test", "postgres", null);
        try (Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute("SET search_path TO " + SCHEMA);
            String v1 = migration("V1__result_tables.sql");
            st.execute(v1);
            st.execute(v1); // a client that already created identical tables, or a second replica: no error
            st.execute(migration("V2__tasks.sql")); // checkFinished looks for a newer check in syncctl_task
            st.execute(migration("V4__check_supersede_index.sql"));
        }
    }

    @AfterAll
    static void close() throws SQLException {
        c.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        exec("TRUNCATE source_spec, source_check, source_catalog, source_state, source_task, task_log, syncctl_task");
    }

    @Test
    void specSuccessReplacesAPlaceholderAndFailureNeverOverwritesAGoodSpec() throws Exception {
        exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('src', '1.0', NULL, 'pending')");
        ResultTables.specFailed(c, "src", "1.0", "image not found");
        assertEquals(List.of("null|image not found"), rows("SELECT coalesce(specs::text, 'null') || '|' || error FROM source_spec"));
        ResultTables.specSucceeded(c, "src", "1.0", "{\"b\":1,\"a\":2}");
        ResultTables.specFailed(c, "src", "1.0", "transient");
        assertEquals(List.of("{\"b\":1,\"a\":2}|null"), rows("SELECT specs::text || '|' || coalesce(error, 'null') FROM source_spec"));
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
        assertEquals(List.of("SUCCESS|{\"streams\":[{\"name\":\"z\"},{\"name\":\"a\"}]}"),
                rows("SELECT status || '|' || catalog::text FROM source_catalog"));

        ResultTables.discoverAccepted(c, "src", "1.0", "k");
        assertEquals(List.of("RUNNING|true"), rows("SELECT status || '|' || (catalog IS NOT NULL) FROM source_catalog"));
        ResultTables.discoverFailed(c, "src", "1.0", "k", "connection refused", Instant.now().plusSeconds(1));
        assertEquals(List.of("FAILED|connection refused"), rows("SELECT status || '|' || description FROM source_catalog"));
    }

    @Test
    void aReadIsAcceptedOnceAndEndsOnce() throws Exception {
        assertTrue(ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", "{\"user\":\"u\"}", "queued"));
        assertFalse(ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued"));
        assertEquals("t1", ResultTables.runningRead(c, "sync1"));
        assertTrue(ResultTables.readProgress(c, "t1", "pod running"));
        assertEquals(List.of("RUNNING|pod running|{\"user\":\"u\"}"),
                rows("SELECT status || '|' || description || '|' || started_by::text FROM source_task"));

        assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.SUCCESS, "{\"s\":{}}", null, null));
        assertFalse(ResultTables.readFinished(c, "t1", ReadStatus.FAILED, "pod disappeared", "x", null));
        assertFalse(ResultTables.readProgress(c, "t1", "late"));
        assertNull(ResultTables.runningRead(c, "sync1"));
        assertEquals(List.of("SUCCESS|{\"s\":{}}"), rows("SELECT status || '|' || description FROM source_task"));
    }

    @Test
    void stateIsOneRowPerStreamAndLogsKeepTheirOrder() throws Exception {
        ResultTables.stateSaved(c, "sync1", "public.users", "{\"cursor\":1}");
        ResultTables.stateSaved(c, "sync1", "public.users", "{\"cursor\":2}");
        ResultTables.stateSaved(c, "sync1", "_GLOBAL_STATE", "{\"lsn\":9}");
        assertEquals(List.of("_GLOBAL_STATE={\"lsn\":9}", "public.users={\"cursor\":2}"),
                rows("SELECT stream || '=' || state::text FROM source_state ORDER BY stream"));

        Instant t0 = Instant.now();
        try (var ps = ResultTables.prepareLog(c)) {
            for (int i = 0; i < 3; i++) {
                ResultTables.addLog(ps, new LogLine(LogLine.Level.INFO, "src", "line " + i, "sync1", "t1", t0.plusMillis(i)));
            }
            ps.executeBatch();
        }
        ResultTables.log(c, LogLine.ours(LogLine.Level.WARN, "pod deleted", "sync1", "t1"));
        assertEquals(List.of("INFO src line 0", "INFO src line 1", "INFO src line 2", "WARN syncctl pod deleted"),
                rows("SELECT level || ' ' || logger || ' ' || message FROM task_log ORDER BY \"timestamp\""));
    }

    static String migration(String file) throws Exception {
        try (InputStream in = ResultTablesTest.class.getResourceAsStream("/db/syncctl/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void exec(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
