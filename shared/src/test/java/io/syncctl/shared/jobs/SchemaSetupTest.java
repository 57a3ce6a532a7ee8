package io.syncctl.shared.jobs;

import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ResultSchema;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.shared.testing.ConsoleSchema;
import io.syncctl.shared.testing.OldLayout;
import io.syncctl.shared.testing.TestSchemas;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What api and worker do to the database at startup: fresh, beside the console's tables, and upgrading the old layout. */
class SchemaSetupTest {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_shared_test";
    final String results = TestSchemas.random("sr_");
    final String internal = TestSchemas.random("si_");

    @AfterEach
    void drop() throws SQLException {
        exec("DROP SCHEMA IF EXISTS " + results + " CASCADE; DROP SCHEMA IF EXISTS " + internal + " CASCADE");
    }

    @Test
    void aFreshDatabaseGetsTheConsolesTablesPlusMetricsAndErrorAndNothingElseInTheResultSchema() throws Exception {
        SchemaSetup.Report report = prepare();
        assertEquals(ResultSchema.tableNames(), report.created());
        assertEquals(List.of(), report.moved());
        assertEquals(sorted(ResultSchema.tableNames()), column("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", results));
        assertEquals(List.of("syncctl_task"), column("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", internal));

        // column for column, index for index, default for default: the console's DDL, plus metrics and error
        String console = TestSchemas.random("sc_");
        try (Connection c = connect()) {
            ConsoleSchema.create(c, console);
        }
        try {
            List<String> ours = new ArrayList<>(describe(console));
            ours.add("source_task.error text null=YES default=null");
            ours.add("source_task.metrics jsonb null=YES default=null");
            assertEquals(sorted(ours), describe(results));
        } finally {
            exec("DROP SCHEMA " + console + " CASCADE");
        }
        assertEquals(0, prepare().created().size(), "a second start changes nothing");
    }

    @Test
    void theConsolesTablesAreNeverAltered() throws Exception {
        try (Connection c = connect()) {
            ConsoleSchema.create(c, results);
        }
        List<String> before = describe(results);
        assertEquals(List.of(), prepare().created());
        assertEquals(before, describe(results));
    }

    @Test
    void anOldInstallationIsMovedWithItsQueueAndKeepsWorking() throws Exception {
        UUID queued = oldLayoutWithAQueuedCheck();
        SchemaSetup.Report report = prepare();
        assertTrue(report.moved().containsAll(List.of("syncctl_task", "jobrunr_jobs", "jobrunr_migrations", "jobrunr_jobs_stats")),
                report.toString());
        assertEquals(List.of(), report.created(), "the old result tables stay where they are");
        assertEquals(List.of(), column("SELECT relname FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace"
                + " WHERE nspname = ? AND (relname = 'syncctl_task' OR relname LIKE 'jobrunr%') ORDER BY 1", results));
        assertEquals(List.of("QUEUED"), column("SELECT phase FROM " + internal + ".syncctl_task WHERE id = ?::uuid", queued.toString()));
        // JobRunr on the internal schema finds its migrations done and the queued job
        try (PostgresStorageProvider storage = JobRunrStorage.open(dataSource(), internal)) {
            assertEquals(StateName.ENQUEUED, storage.getJobById(JobIds.launch(queued)).getState());
        }
        // and a second replica starting later finds nothing to do
        SchemaSetup.Report again = prepare();
        assertEquals(List.of(), again.moved());
        assertEquals(List.of(), again.leftBehind());
    }

    @Test
    void severalReplicasUpgradingAtOnceAgree() throws Exception {
        UUID queued = oldLayoutWithAQueuedCheck();
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SchemaSetup.Report>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return prepare();
                }));
            }
            start.countDown();
            int moving = 0;
            for (Future<SchemaSetup.Report> f : runs) {
                moving += f.get().moved().isEmpty() ? 0 : 1;
            }
            assertEquals(1, moving, "exactly one replica moves the tables");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("QUEUED"), column("SELECT phase FROM " + internal + ".syncctl_task WHERE id = ?::uuid", queued.toString()));
    }

    /** The old layout, as V1-V4 and JobRunr left it in the result schema, with one check queued. */
    private UUID oldLayoutWithAQueuedCheck() throws Exception {
        try (Connection c = connect()) {
            OldLayout.migrate(c, results);
        }
        PGSimpleDataSource old = dataSource();
        old.setCurrentSchema(results);
        UUID id = UUID.randomUUID();
        TaskRecord t = TaskRecord.accepted(id, TaskType.CHECK, "src", "1.0", "key-" + id, null, null, Map.of());
        try (Connection c = old.getConnection()) {
            new TaskStore(new PayloadCipher(new byte[32])).insert(c, t, TaskPayload.config("{}"));
        }
        try (PostgresStorageProvider storage = JobRunrStorage.open(old, results)) {
            new JobScheduler(storage).<TaskJobs>enqueue(JobIds.launch(id), jobs -> jobs.launch(id, "check"));
        }
        return id;
    }

    private SchemaSetup.Report prepare() throws Exception {
        PGSimpleDataSource ds = dataSource();
        return SchemaSetup.prepare(ds, results, internal, () -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("SET search_path TO " + internal + "; " + internalMigration());
            }
        });
    }

    static String internalMigration() throws Exception {
        try (InputStream in = SchemaSetupTest.class.getResourceAsStream("/db/internal/V1__tasks.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every column (type, nullability, default) and index of the result tables in a schema, sorted. */
    private List<String> describe(String schema) throws SQLException {
        List<String> out = new ArrayList<>(column("""
                SELECT table_name || '.' || column_name || ' ' || CASE WHEN data_type = 'timestamp with time zone'
                       THEN 'timestamptz(' || datetime_precision || ')' ELSE data_type END
                       || ' null=' || is_nullable || ' default=' || coalesce(column_default, 'null')
                FROM information_schema.columns WHERE table_schema = ?""", schema));
        out.addAll(column("SELECT regexp_replace(indexdef, ' ON \\S+ ', ' ON ') FROM pg_indexes WHERE schemaname = ?", schema));
        return sorted(out);
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        java.util.Collections.sort(s);
        return s;
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(JDBC);
        ds.setUser("postgres");
        return ds;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC, "postgres", null);
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> column(String sql, String... args) throws SQLException {
        try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
