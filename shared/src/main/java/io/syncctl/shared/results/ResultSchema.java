package io.syncctl.shared.results;

import io.syncctl.shared.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the result tables of CONTRACT section 2 that do not exist yet, as the Jitsu console's
 * Prisma creates them (jsonb columns, {@code TIMESTAMPTZ(3)}, its constraint and index names, no
 * default for {@code task_log.id}), plus {@code source_task.metrics} and {@code source_task.error}.
 *
 * <p>A table that exists is never altered: in a Jitsu deployment the console owns these tables and
 * its {@code prisma db push --accept-data-loss} would drop whatever we added. This is therefore not a
 * migration with a history; it runs at every start of the api and the worker (under the lock of
 * {@code io.syncctl.shared.jobs.SchemaSetup}) and creates only what is missing.
 */
public final class ResultSchema {
    /** The six tables, in creation order, with the statements that create each (schema placeholder {@code %s}). */
    static final Map<String, List<String>> TABLES = tables();

    private ResultSchema() {
    }

    /** The names of the result tables. */
    public static List<String> tableNames() {
        return List.copyOf(TABLES.keySet());
    }

    /**
     * Creates every result table missing from {@code schema} (and the schema itself if needed).
     * Returns the names of the tables it created.
     */
    public static List<String> createMissing(Connection c, String schema) throws SQLException {
        String qualified = DatabaseUrl.identifier(schema);
        List<String> created = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            createSchemaIfMissing(c, schema);
            for (Map.Entry<String, List<String>> table : TABLES.entrySet()) {
                if (exists(c, schema, table.getKey())) {
                    continue;
                }
                for (String ddl : table.getValue()) {
                    st.execute(ddl.replace("%s", qualified));
                }
                created.add(table.getKey());
            }
        }
        return created;
    }

    /**
     * Creates the schema only when it is missing: {@code CREATE SCHEMA IF NOT EXISTS} checks the
     * CREATE privilege on the database first, which a role limited to its schemas does not have.
     */
    public static void createSchemaIfMissing(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + DatabaseUrl.identifier(schema));
        }
    }

    static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = ? AND t.relname = ?""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // The console's DDL (webapps/console/prisma/schema.prisma as `prisma db push` renders it), word for
    // word except IF NOT EXISTS: a console pushing its schema at the same moment must not fail us.
    private static Map<String, List<String>> tables() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("source_spec", List.of("""
                CREATE TABLE IF NOT EXISTS %s."source_spec" ("package" TEXT NOT NULL, "version" TEXT NOT NULL, "specs" JSONB,
                    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "error" TEXT,
                    CONSTRAINT "source_spec_pkey" PRIMARY KEY ("package","version"))"""));
        t.put("source_check", List.of("""
                CREATE TABLE IF NOT EXISTS %s."source_check" ("package" TEXT NOT NULL, "version" TEXT NOT NULL, "key" TEXT NOT NULL,
                    "status" TEXT NOT NULL, "description" TEXT, "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    CONSTRAINT "source_check_pkey" PRIMARY KEY ("key"))"""));
        t.put("source_catalog", List.of("""
                CREATE TABLE IF NOT EXISTS %s."source_catalog" ("package" TEXT NOT NULL, "version" TEXT NOT NULL, "key" TEXT NOT NULL,
                    "catalog" JSONB, "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "status" TEXT NOT NULL,
                    "description" TEXT, CONSTRAINT "source_catalog_pkey" PRIMARY KEY ("package","version","key"))"""));
        t.put("source_state", List.of("""
                CREATE TABLE IF NOT EXISTS %s."source_state" ("sync_id" TEXT NOT NULL, "stream" TEXT NOT NULL, "state" JSONB NOT NULL,
                    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    CONSTRAINT "source_state_pkey" PRIMARY KEY ("sync_id","stream"))"""));
        t.put("source_task", List.of("""
                CREATE TABLE IF NOT EXISTS %s."source_task" ("sync_id" TEXT NOT NULL, "task_id" TEXT NOT NULL, "package" TEXT NOT NULL,
                    "version" TEXT NOT NULL, "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
                    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "started_by" JSONB,
                    "status" TEXT NOT NULL, "description" TEXT, "metrics" JSONB, "error" TEXT,
                    CONSTRAINT "source_task_pkey" PRIMARY KEY ("task_id"))""",
                "CREATE INDEX IF NOT EXISTS \"source_task_sync_id_idx\" ON %s.\"source_task\"(\"sync_id\")",
                "CREATE INDEX IF NOT EXISTS \"source_task_started_at_idx\" ON %s.\"source_task\"(\"started_at\")"));
        t.put("task_log", List.of("""
                CREATE TABLE IF NOT EXISTS %s."task_log" ("id" UUID NOT NULL, "level" TEXT NOT NULL, "logger" TEXT NOT NULL,
                    "message" TEXT NOT NULL, "sync_id" TEXT NOT NULL, "task_id" TEXT NOT NULL,
                    "timestamp" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "task_log_pkey" PRIMARY KEY ("id"))""",
                "CREATE INDEX IF NOT EXISTS \"task_log_sync_id_idx\" ON %s.\"task_log\"(\"sync_id\")",
                "CREATE INDEX IF NOT EXISTS \"task_log_task_id_idx\" ON %s.\"task_log\"(\"task_id\")",
                "CREATE INDEX IF NOT EXISTS \"task_log_timestamp_idx\" ON %s.\"task_log\"(\"timestamp\")"));
        return t;
    }
}
