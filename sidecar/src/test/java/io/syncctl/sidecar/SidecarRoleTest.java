package io.syncctl.sidecar;

import io.syncctl.shared.jobs.JobRunrStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/sql/sidecar-role.sql, run with psql as an operator runs it, on the layout api and worker make
 * (result tables, our migrations and JobRunr's real tables in the internal schema): the sidecar does its
 * whole job as that role, and the role is refused everything else.
 */
class SidecarRoleTest extends WithTestDatabase {
    private static final Path SQL = Path.of("..", "deploy", "sql", "sidecar-role.sql");
    private static final String ROLE = "sidecar_role_test_" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PASSWORD = "role-pw-" + UUID.randomUUID();

    @BeforeAll
    static void createRole() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestDb.JDBC);
        ds.setUser("postgres");
        JobRunrStorage.open(ds, db.internal);
        // twice: operators run it again after each upgrade
        psql();
        psql();
    }

    @AfterAll
    static void dropRole() throws Exception {
        try (Connection c = DriverManager.getConnection(TestDb.JDBC, "postgres", null); Statement st = c.createStatement()) {
            st.execute("DROP OWNED BY " + ROLE);
            st.execute("DROP ROLE " + ROLE);
        }
    }

    private static void psql() throws Exception {
        Process p = new ProcessBuilder("psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "syncctl_sidecar_test",
                "-v", "ON_ERROR_STOP=1", "-v", "role=" + ROLE, "-v", "password=" + PASSWORD,
                "-v", "results_schema=" + db.schema, "-v", "internal_schema=" + db.internal, "-f", SQL.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static String roleUrl() {
        return "postgresql://" + ROLE + ":" + PASSWORD + "@127.0.0.1:5432/syncctl_sidecar_test?sslmode=disable&search_path=" + db.schema;
    }

    private static Connection asRole() throws SQLException {
        return DriverManager.getConnection(TestDb.JDBC + "?currentSchema=" + db.schema + "," + db.internal, ROLE, PASSWORD);
    }

    @Test
    void theSidecarDoesItsWholeJobAsTheRole() throws Exception {
        // check: the guard reads syncctl_task, so a check superseded by a newer one stays unwritten
        UUID older = UUID.randomUUID();
        db.exec("INSERT INTO " + db.internal + ".syncctl_task (id, type, package, version, storage_key, accepted_at) VALUES "
                + "('" + older + "', 'check', 'syncctl/source-test', '1.0', 'role-key', now() - interval '1 minute'),"
                + "('" + UUID.randomUUID() + "', 'check', 'syncctl/source-test', '1.0', 'role-key', now())");
        try (SidecarProcess p = new SidecarProcess("check", db).env("DATABASE_URL", roleUrl())
                .env("STORAGE_KEY", "role-key").env("TASK_ID", older.toString()).start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of(), db.column("SELECT status FROM source_check WHERE key = 'role-key'"),
                "the guard could not read syncctl_task: a superseded check was written");
        try (SidecarProcess p = new SidecarProcess("check", db).env("DATABASE_URL", roleUrl())
                .env("STORAGE_KEY", "role-key-2").env("TASK_ID", "by-hand").start()) {
            p.out("{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("SUCCESS"), db.column("SELECT status FROM source_check WHERE key = 'role-key-2'"));

        // spec and discover
        try (SidecarProcess p = new SidecarProcess("spec", db).env("DATABASE_URL", roleUrl()).env("TASK_ID", "role-spec").start()) {
            p.out("{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\"}}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(1, db.column("SELECT specs::text FROM source_spec WHERE package = 'syncctl/source-test'").size());
        try (SidecarProcess p = new SidecarProcess("discover", db).env("DATABASE_URL", roleUrl()).env("STORAGE_KEY", "role-disc")
                .env("TASK_ID", "role-discover").start()) {
            p.out("{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[]}}").closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("SUCCESS"), db.column("SELECT status FROM source_catalog WHERE key = 'role-disc'"));

        // read: task row, progress, state, log lines
        try (SidecarProcess p = new SidecarProcess("read", db).env("DATABASE_URL", roleUrl())
                .env("SYNC_ID", "role-sync").env("TASK_ID", "role-read").env("HEARTBEAT_INTERVAL", "100ms")
                .config("config.json", "{}")
                .config("catalog.json", Msg.catalog(Msg.stream("users", "{\"id\":{\"type\":\"integer\"}}", true, "id")))
                .config("destinationConfig.json", db.postgresDestination()).start()) {
            p.out(Msg.record("users", "{\"id\":1}"), Msg.record("users", "{\"id\":2}"),
                    "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
                            + "\"stream_state\":{\"cursor\":2}}}}",
                    Msg.streamStatus("users", "COMPLETE"));
            p.err("WARN a line for task_log");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
            assertFalse(p.processOutput().contains("permission denied"), p.processOutput());
        }
        assertEquals(List.of("SUCCESS"), db.column("SELECT status FROM source_task WHERE task_id = 'role-read'"));
        assertEquals(List.of("{\"cursor\": 2}"), db.column("SELECT state::text FROM source_state WHERE sync_id = 'role-sync'"));
        assertTrue(db.column("SELECT message FROM task_log WHERE task_id = 'role-read'").contains("WARN a line for task_log"),
                db.column("SELECT message FROM task_log WHERE task_id = 'role-read'").toString());
    }

    @Test
    void jobRunrsTablesAndEverythingElseAreRefused() throws Exception {
        List<String> jobrunr = db.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + db.internal + "' AND table_name LIKE 'jobrunr%' AND table_type = 'BASE TABLE'");
        assertTrue(jobrunr.contains("jobrunr_jobs"), jobrunr.toString());
        for (String table : jobrunr) {
            refused("SELECT * FROM " + db.internal + "." + table + " LIMIT 1");
            refused("DELETE FROM " + db.internal + "." + table);
        }
        refused("INSERT INTO " + db.internal + ".jobrunr_jobs (id) VALUES ('" + UUID.randomUUID() + "')");
        refused("UPDATE " + db.internal + ".jobrunr_jobs SET state = 'SUCCEEDED'");
        // of our own tables, only the guard's columns: never a payload
        refused("SELECT payload FROM " + db.internal + ".syncctl_task");
        refused("UPDATE " + db.internal + ".syncctl_task SET phase = 'DONE'");
        refused("SELECT * FROM " + db.internal + ".flyway_schema_history");
        // no DELETE, no DDL, no reading back log lines
        refused("DELETE FROM " + db.schema + ".source_task");
        refused("DELETE FROM " + db.schema + ".source_state");
        refused("SELECT * FROM " + db.schema + ".task_log");
        refused("CREATE TABLE " + db.schema + ".mine (x int)");
        refused("CREATE TABLE " + db.internal + ".mine (x int)");
        refused("DROP TABLE " + db.schema + ".source_task");
        refused("TRUNCATE " + db.schema + ".source_task");
    }

    /** A SIGTERM is a user's cancel only if the row says so: the role must read that column, or evictions and cancels look alike. */
    @Test
    void theRoleReadsWhetherACancelWasRequested() throws Exception {
        UUID id = UUID.randomUUID();
        db.exec("INSERT INTO " + db.internal + ".syncctl_task (id, type, package, version, accepted_at, cancel_requested_at) VALUES ('"
                + id + "', 'read', 'a/b', '1', now(), now())");
        try (Connection c = asRole()) {
            assertTrue(io.syncctl.shared.task.TaskStore.cancelRequested(c, id));
        }
    }

    private static void refused(String sql) throws SQLException {
        try (Connection c = asRole(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
            assertTrue(List.of("42501").contains(e.getSQLState()), sql + ": " + e.getSQLState() + " " + e.getMessage());
        }
    }
}
