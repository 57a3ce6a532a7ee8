package io.syncctl.api.db;

import io.syncctl.api.support.TestDb;
import io.syncctl.shared.jobs.JobRunrStorage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

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
 * Our migrations exactly as the api runs them at startup (same Flyway settings as
 * application.properties), then JobRunr's: on a schema where a client already created the result
 * tables, and several replicas starting at once on an empty schema.
 */
class MigrationsTest {

    static Flyway flyway(String schema) {
        return Flyway.configure().dataSource(TestDb.JDBC, "postgres", "").locations("classpath:db/syncctl")
                .baselineOnMigrate(true).baselineVersion("0").schemas(schema).defaultSchema(schema).load();
    }

    static void migrate(String schema) {
        flyway(schema).migrate();
        JobRunrStorage.open(dataSource(schema), schema).close();
    }

    /** Every migration the module ships (V1, V2, ...), so the assertions hold as migrations are added. */
    static List<String> shippedVersions() {
        return java.util.Arrays.stream(flyway("public").info().all())
                .map(m -> m.getVersion().getVersion()).filter(v -> !v.equals("0")).toList();
    }

    @Test
    void adoptsResultTablesAClientCreatedBefore() {
        String schema = "mig_client";
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        execute("CREATE SCHEMA " + schema);
        // the client's own DDL, as CONTRACT section 2 gives it
        execute("SET search_path TO " + schema + ";" + """
                CREATE TABLE source_spec (package text NOT NULL, version text NOT NULL, specs json,
                    "timestamp" timestamptz(3) NOT NULL DEFAULT now(), error text, CONSTRAINT source_spec_pkey PRIMARY KEY (package, version));
                CREATE TABLE source_check (package text NOT NULL, version text NOT NULL, key text CONSTRAINT source_check_pkey PRIMARY KEY,
                    status text NOT NULL, description text, "timestamp" timestamptz(3) NOT NULL DEFAULT now());
                CREATE TABLE source_catalog (package text NOT NULL, version text NOT NULL, key text NOT NULL, catalog json,
                    "timestamp" timestamptz(3) NOT NULL DEFAULT now(), status text NOT NULL, description text,
                    CONSTRAINT source_catalog_pkey PRIMARY KEY (package, version, key));
                CREATE TABLE source_state (sync_id text NOT NULL, stream text NOT NULL, state json NOT NULL,
                    "timestamp" timestamptz(3) NOT NULL DEFAULT now(), CONSTRAINT source_state_pkey PRIMARY KEY (sync_id, stream));
                CREATE TABLE source_task (sync_id text NOT NULL, task_id text CONSTRAINT source_task_pkey PRIMARY KEY,
                    package text NOT NULL, version text NOT NULL, started_at timestamptz(3) NOT NULL DEFAULT now(),
                    updated_at timestamptz(3) NOT NULL DEFAULT now(), started_by json, status text NOT NULL, description text,
                    metrics json, error text);
                CREATE INDEX source_task_sync_id_idx ON source_task (sync_id);
                CREATE TABLE task_log (id uuid CONSTRAINT task_log_pkey PRIMARY KEY DEFAULT gen_random_uuid(), level text NOT NULL,
                    logger text NOT NULL, message text NOT NULL, sync_id text NOT NULL, task_id text NOT NULL,
                    "timestamp" timestamptz(3) NOT NULL DEFAULT now());
                INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('s1', 't1', 'p', 'v', 'SUCCESS');
                """);
        migrate(schema);
        assertEquals(1, count("SELECT count(*) FROM " + schema + ".source_task WHERE task_id = 't1'"), "client data kept");
        List<String> expected = new ArrayList<>(List.of("0"));
        expected.addAll(shippedVersions());
        assertEquals(expected, column("SELECT version FROM " + schema + ".flyway_schema_history ORDER BY installed_rank"));
        assertEquals(4, count("SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND tablename = 'source_task'", schema));
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'jobrunr_jobs'", schema));
        migrate(schema); // and again, as every later start does
    }

    @Test
    void severalReplicasMigratingAtOnceAgree() throws Exception {
        String schema = "mig_concurrent";
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    migrate(schema);
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
        assertEquals(shippedVersions(), column("SELECT version FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank"));
        assertEquals(0, count("SELECT count(*) FROM (SELECT script FROM " + schema + ".jobrunr_migrations GROUP BY script HAVING count(*) > 1) d"));
        assertEquals(0, count("SELECT count(*) FROM " + schema + ".jobrunr_migrations WHERE script = 'TABLE LOCKER'"));
        assertEquals(1, count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'syncctl_task'", schema));
    }

    static PGSimpleDataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestDb.JDBC);
        ds.setUser("postgres");
        ds.setCurrentSchema(schema);
        return ds;
    }
}
