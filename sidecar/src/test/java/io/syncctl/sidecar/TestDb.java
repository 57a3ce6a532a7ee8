package io.syncctl.sidecar;

import io.syncctl.shared.results.ResultSchema;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Fresh schemas in syncctl_sidecar_test laid out as api and worker lay them out: the result tables
 * (ResultSchema, as the console would create them) in {@link #schema}, our internal tables (the real
 * migrations) in {@link #internal}; plus query helpers whose search_path is both, as the sidecar's.
 */
public final class TestDb {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_sidecar_test";
    final String schema;
    /** Our internal schema (syncctl_task), passed to the sidecar as INTERNAL_SCHEMA. */
    final String internal;
    /** A second fresh schema for destination tables. */
    final String destSchema;

    TestDb() {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        schema = "t_" + id;
        internal = "i_" + id;
        destSchema = "d_" + id;
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null)) {
            ResultSchema.createMissing(c, schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Flyway.configure().dataSource(JDBC, "postgres", null).schemas(internal).defaultSchema(internal)
                .locations("classpath:db/internal").load().migrate();
    }

    String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:5432/syncctl_sidecar_test?sslmode=disable&search_path=" + schema;
    }

    String postgresDestination() {
        return "{\"destinationType\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,\"database\":\"syncctl_sidecar_test\","
                + "\"username\":\"postgres\",\"password\":\"\",\"defaultSchema\":\"" + destSchema + "\",\"sslMode\":\"disable\"}";
    }

    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(JDBC + "?currentSchema=" + schema + "," + internal, "postgres", null);
        c.setAutoCommit(true);
        return c;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Rows as maps (column → value as text), in query order. */
    List<Map<String, String>> rows(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    Map<String, String> row(String sql) throws SQLException {
        List<Map<String, String>> r = rows(sql);
        if (r.size() != 1) {
            throw new AssertionError("expected one row, got " + r + " for " + sql);
        }
        return r.get(0);
    }

    List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map<String, String> r : rows(sql)) {
            out.add(r.values().iterator().next());
        }
        return out;
    }

    /** Column name → data_type of a destination table. */
    Map<String, String> columnTypes(String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = connect(); var ps = c.prepareStatement("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position""")) {
            ps.setString(1, destSchema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    void drop() {
        try {
            exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; DROP SCHEMA IF EXISTS " + destSchema + " CASCADE;"
                    + " DROP SCHEMA IF EXISTS " + internal + " CASCADE");
        } catch (SQLException ignored) {
            // best effort
        }
    }
}
