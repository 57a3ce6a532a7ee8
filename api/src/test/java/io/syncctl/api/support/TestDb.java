package io.syncctl.api.support;

import io.syncctl.shared.testing.TestSchemas;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct JDBC to the test database, to look at rows the way a polling client would. {@link #connect()}
 * sees what the api sees: this JVM's result schema, then its internal schema ({@link TestSchemas}).
 */
public final class TestDb {
    public static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_api_test";

    private TestDb() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(JDBC + "?currentSchema=" + TestSchemas.searchPath(), "postgres", "");
    }

    public static Connection connect(String schema) throws SQLException {
        return DriverManager.getConnection(JDBC + "?currentSchema=" + schema, "postgres", "");
    }

    /** The first column of every row, as text (null as null). */
    public static List<String> column(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String one(String sql, Object... args) {
        List<String> rows = column(sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    public static long count(String sql, Object... args) {
        return Long.parseLong(one(sql, args));
    }

    public static void execute(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
