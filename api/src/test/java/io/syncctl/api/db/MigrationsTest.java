package io.syncctl.api.db;

import io.syncctl.api.support.TestDb;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.jobs.SchemaSetup;
import io.syncctl.shared.results.ResultSchema;
import io.syncctl.shared.testing.ConsoleSchema;
import io.syncctl.shared.testing.OldLayout;
import io.syncctl.shared.testing.TestSchemas;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.syncctl.api.support.TestDb.column;
import static io.syncctl.api.support.TestDb.count;
import static io.syncctl.api.support.TestDb.execute;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Startup's schema work exactly as the api does it (SchemaSetup with Flyway configured as in
 * application.properties, then JobRunr's migrations): beside the console's tables, on a fresh
 * database with several replicas at once, and upgrading an installation of the old layout.
 */
class MigrationsTest {
    final String results = TestSchemas.random("mr_");
    final String internal = TestSchemas.random("mi_");

    @AfterEach
    void drop() {
        execute("DROP SCHEMA IF EXISTS " + results + " CASCADE");
        execute("DROP SCHEMA IF EXISTS " + internal + " CASCADE");
    }

    static Flyway flyway(String internal) {
        return Flyway.configure().dataSource(TestDb.JDBC, "postgres", "").locations("classpath:db/internal")
                .baselineOnMigrate(true).baselineVersion("0").schemas(internal).defaultSchema(internal).load();
    }

    static SchemaSetup.Report migrate(String results, String internal) {
        SchemaSetup.Report report = SchemaSetup.prepare(dataSource(), results, internal, flyway(internal)::migrate);
        JobRunrStorage.open(dataSource(), internal).close();
        return report;
    }

    /** Every migration the module ships (V1, V2, ...), so the assertions hold as migrations are added. */
    static List<String> shippedVersions() {
        return java.util.Arrays.stream(flyway(TestSchemas.random("none_")).info().all())
                .map(m -> m.getVersion().getVersion()).filter(v -> !v.equals("0")).toList();
    }

    @Test
    void theConsolesTablesAreUsedAsTheyAreAndNothingOfOursJoinsThem() throws Exception {
        try (Connection c = TestDb.connect()) {
            ConsoleSchema.create(c, results);
        }
        execute("INSERT INTO " + results + ".source_task (sync_id, task_id, package, version, status) VALUES ('s1', 't1', 'p', 'v', 'SUCCESS')");
        List<String> columnsBefore = columns(results);
        assertEquals(List.of(), migrate(results, internal).created());
        assertEquals(1, count("SELECT count(*) FROM " + results + ".source_task WHERE task_id = 't1'"), "client data kept");
        assertEquals(columnsBefore, columns(results), "never altered");
        assertEquals(sorted(ResultSchema.tableNames()), tables(results));
        assertEquals(shippedVersions(), column("SELECT version FROM " + internal + ".flyway_schema_history WHERE success AND version IS NOT NULL"
                + " AND version <> '0' ORDER BY installed_rank"));
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'jobrunr_jobs'", internal));
        migrate(results, internal); // and again, as every later start does
    }

    @Test
    void severalReplicasMigratingAtOnceAgree() throws Exception {
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    migrate(results, internal);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : runs) {
                f.get(); // throws if any replica failed
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(shippedVersions(), column("SELECT version FROM " + internal + ".flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT script FROM " + internal + ".jobrunr_migrations GROUP BY script HAVING count(*) > 1) d"));
        assertEquals(0, count("SELECT count(*) FROM " + internal + ".jobrunr_migrations WHERE script = 'TABLE LOCKER'"));
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'syncctl_task'", internal));
        assertEquals(sorted(ResultSchema.tableNames()), tables(results));
    }

    @Test
    void anOldInstallationMovesItsTablesAndFlywayAdoptsThem() throws Exception {
        // the old layout as the old version left it: Flyway's V1-V4 and JobRunr's tables in the result schema
        Flyway.configure().dataSource(TestDb.JDBC, "postgres", "").locations(OldLayout.FLYWAY_LOCATION)
                .baselineOnMigrate(true).baselineVersion("0").schemas(results).defaultSchema(results).load().migrate();
        PGSimpleDataSource old = dataSource();
        old.setCurrentSchema(results);
        JobRunrStorage.open(old, results).close();
        execute("INSERT INTO " + results + ".syncctl_task (id, type, package, version, storage_key) VALUES (gen_random_uuid(), 'check', 'p', 'v', 'k-old')");

        SchemaSetup.Report report = migrate(results, internal);
        assertEquals(true, report.moved().contains("syncctl_task"), report.toString());
        assertEquals(List.of(), report.created());
        assertEquals(sorted(ResultSchema.tableNames()), tables(results), "only the result tables stay");
        assertEquals(1, count("SELECT count(*) FROM " + internal + ".syncctl_task WHERE storage_key = 'k-old' AND phase = 'QUEUED'"));
        List<String> expected = new ArrayList<>(List.of("0"));
        expected.addAll(shippedVersions());
        assertEquals(expected, column("SELECT version FROM " + internal + ".flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"),
                "baselined, then the idempotent V1 adopted the moved table");
        assertEquals(0, count("SELECT count(*) FROM (SELECT script FROM " + internal + ".jobrunr_migrations GROUP BY script HAVING count(*) > 1) d"),
                "JobRunr found its migrations done");
        assertEquals(3, count("SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND tablename = 'syncctl_task' AND indexname LIKE 'syncctl_task_%_idx'", internal));
        assertEquals(List.of(), migrate(results, internal).moved(), "a later start moves nothing");
    }

    private static List<String> tables(String schema) {
        return column("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", schema);
    }

    private static List<String> columns(String schema) {
        return column("SELECT table_name || '.' || column_name || ':' || data_type || ':' || coalesce(column_default, '-')"
                + " FROM information_schema.columns WHERE table_schema = ? ORDER BY 1", schema);
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        java.util.Collections.sort(s);
        return s;
    }

    static PGSimpleDataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestDb.JDBC);
        ds.setUser("postgres");
        return ds;
    }
}
