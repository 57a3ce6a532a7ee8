package io.syncctl.sidecar;

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

/** A fresh schema in syncctl_sidecar_test with the real migrations applied, plus query helpers. */
public final class TestDb {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_sidecar_test";
    final String schema;
    /** A second fresh schema for destination tables. */
    final String destSchema;

    TestDb() {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        schema = "t_" + id;
        destSchema = "d_" + id;
        Flyway.configure().dataSource(JDBC, "postgres", null).schemas(schema).locations("classpath:db/syncctl")
                .load().migrate();
    }

    String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:5432/syncctl_sidecar_test?sslmode=disable&search_path=" + schema;
    }

    String postgresDestination() {
        return "{\"destinationType\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,\"database\":\"syncctl_sidecar_test\","
                + "\"username\":\"postgres\",\"password\":\"\",\"defaultSchema\":\"" + destSchema + "\",\"sslMode\":\"disable\"}";
    }

    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(JDBC + "?currentSchema=" + schema, "postgres", null);
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
            exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE; DROP SCHEMA IF EXISTS " + destSchema + " CASCADE");
        } catch (SQLException ignored) {
            // best effort
        }
    }
}
