package io.syncctl.sidecar;

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
 * A fresh database on the MariaDB server of this machine (127.0.0.1:3306, root, no password), dropped by
 * {@link #drop()}: the destination of the mysql tests. Query helpers return values as text.
 */
public final class TestMysql {
    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    public final String database;

    public TestMysql() {
        database = "syncctl_my_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        exec("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
    }

    /** The destinationConfig of this database, as the console sends it. */
    public String destinationConfig() {
        return destinationConfig(true);
    }

    /**
     * @param localInfile false: the driver refuses {@code LOAD DATA LOCAL INFILE} ({@code allowLocalInfile=false}),
     *                    so the destination loads by INSERT as on a server with {@code local_infile=OFF}; the
     *                    shared server's setting is never touched
     */
    public String destinationConfig(boolean localInfile) {
        return "{\"destinationType\":\"mysql\",\"host\":\"" + HOST + "\",\"port\":" + PORT + ",\"database\":\"" + database
                + "\",\"username\":\"root\",\"password\":\"\",\"parameters\":{\"tls\":\"preferred\""
                + (localInfile ? "" : ",\"allowLocalInfile\":\"false\"") + "}}";
    }

    /** Whether the server accepts {@code LOAD DATA LOCAL INFILE} (read only: other test runs share it). */
    public boolean serverAllowsLocalInfile() throws SQLException {
        return column("SELECT @@GLOBAL.local_infile").equals(List.of("1"));
    }

    public Connection connect() throws SQLException {
        Connection c = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + HOST + ":" + PORT + "/" + database
                + "?user=root&sslMode=disable", new java.util.Properties());
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    public void exec(String sql) {
        try (Connection c = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + HOST + ":" + PORT + "/?user=root&sslMode=disable",
                new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, String>> rows(String sql) throws SQLException {
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

    public List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Map<String, String> r : rows(sql)) {
            out.add(r.values().iterator().next());
        }
        return out;
    }

    /** Column name → column_type (as MySQL shows it) of a table of this database, in order. */
    public Map<String, String> columnTypes(String table) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> r : rows("SELECT column_name AS n, column_type AS t FROM information_schema.columns WHERE table_schema = '"
                + database + "' AND table_name = '" + table.replace("'", "''") + "' ORDER BY ordinal_position")) {
            out.put(r.get("n"), r.get("t"));
        }
        return out;
    }

    public List<String> tables() throws SQLException {
        return column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database + "' ORDER BY table_name");
    }

    public void drop() {
        try {
            exec("DROP DATABASE IF EXISTS `" + database + "`");
        } catch (IllegalStateException ignored) {
            // best effort
        }
    }
}
