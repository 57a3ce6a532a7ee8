package io.syncctl.shared.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.testing.TestSchemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real PostgreSQL for the result-table tests: the result tables in one schema (the console's, or
 * ours, as a subclass creates them) and the internal tables (the real internal migration) in another,
 * with the services' search_path: result schema, then internal schema. Emptied before every test.
 */
abstract class ResultsOnPostgres {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_shared_test";
    static final ObjectMapper JSON = new ObjectMapper();
    static String results;
    static String internal;
    static Connection c;

    /** Creates the result tables in {@link #results}. */
    abstract void createResultTables(Connection admin, String schema) throws Exception;

    @BeforeAll
    static void schemas() {
        results = TestSchemas.random("rt_");
        internal = TestSchemas.random("it_");
    }

    @BeforeEach
    void connect() throws Exception {
        if (c == null) {
            try (Connection admin = DriverManager.getConnection(JDBC, "postgres", null); Statement st = admin.createStatement()) {
                createResultTables(admin, results);
                st.execute("CREATE SCHEMA " + internal);
                st.execute("SET search_path TO " + internal + "; " + internalMigration());
            }
            c = DriverManager.getConnection(JDBC + "?currentSchema=" + results + "," + internal, "postgres", null);
        }
        exec("TRUNCATE source_spec, source_check, source_catalog, source_state, source_task, task_log, syncctl_task");
    }

    @AfterAll
    static void close() throws SQLException {
        if (c != null) {
            c.close();
            c = null;
        }
        try (Connection admin = DriverManager.getConnection(JDBC, "postgres", null); Statement st = admin.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + results + " CASCADE; DROP SCHEMA IF EXISTS " + internal + " CASCADE");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String internalMigration() throws Exception {
        try (InputStream in = ResultTablesContract.class.getResourceAsStream("/db/internal/V1__tasks.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void assertJson(String expected, String actual) throws Exception {
        JsonNode want = JSON.readTree(expected);
        assertEquals(want, actual == null ? null : JSON.readTree(actual));
    }

    static void exec(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String one(String sql) throws SQLException {
        List<String> r = rows(sql);
        assertEquals(1, r.size(), sql);
        return r.get(0);
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
