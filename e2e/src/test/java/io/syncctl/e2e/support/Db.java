package io.syncctl.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The result tables as a client polls them: plain SQL on the suite's schema. */
public final class Db {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;

    Db(String url) {
        this.url = url;
    }

    static String url(String database, String schema) {
        return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres&ApplicationName=syncctl-e2e"
                + (schema == null ? "" : "&currentSchema=" + schema);
    }

    /** Drops schemas of earlier runs and creates {@code schema} empty. */
    static void recreateSchema(String url, String schema) {
        recreateSchema(url, "e2e", schema);
    }

    /** Drops the schemas named {@code <prefix>_...} (earlier runs') and creates {@code schema} empty. */
    static void recreateSchema(String url, String prefix, String schema) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            List<String> old = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + prefix + "\\_%'")) {
                while (rs.next()) {
                    old.add(rs.getString(1));
                }
            }
            for (String s : old) {
                st.execute("DROP SCHEMA \"" + s + "\" CASCADE");
            }
            st.execute("CREATE SCHEMA \"" + schema + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare schema " + schema + " in " + url + ": " + e.getMessage(), e);
        }
    }

    /** All rows of a query, each column by name. */
    public List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        // json columns arrive as PGobject: their text is what a client reads.
                        row.put(md.getColumnLabel(i), v instanceof PGobject o ? o.getValue() : v);
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first row of a query, if any. */
    public Optional<Map<String, Object>> row(String sql, Object... args) {
        return rows(sql, args).stream().findFirst();
    }

    public long count(String sql, Object... args) {
        return ((Number) row(sql, args).orElseThrow().values().iterator().next()).longValue();
    }

    /** The number of rows in a destination table, 0 if it does not exist (yet). */
    public long tableRows(String schema, String table) {
        if (count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", schema, table) == 0) {
            return 0;
        }
        return count("SELECT count(*) FROM \"" + schema + "\".\"" + table + "\"");
    }

    public static JsonNode json(Object text) {
        try {
            return JSON.readTree(String.valueOf(text));
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
