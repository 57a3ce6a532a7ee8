package io.syncctl.shared.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

/**
 * The result tables exactly as the Jitsu console's Prisma creates them ({@code console-prisma.sql},
 * CONTRACT section 2): jsonb columns, no default for {@code task_log.id}, no
 * {@code source_task.metrics}/{@code error}. Tests that play the console create them with this.
 */
public final class ConsoleSchema {
    /** The console's models among the result tables, with their columns, in DDL order. */
    public static final java.util.Map<String, List<String>> COLUMNS = java.util.Map.of(
            "source_spec", List.of("package", "version", "specs", "timestamp", "error"),
            "source_check", List.of("package", "version", "key", "status", "description", "timestamp"),
            "source_catalog", List.of("package", "version", "key", "catalog", "timestamp", "status", "description"),
            "source_state", List.of("sync_id", "stream", "state", "timestamp"),
            "source_task", List.of("sync_id", "task_id", "package", "version", "started_at", "updated_at", "started_by", "status", "description"),
            "task_log", List.of("id", "level", "logger", "message", "sync_id", "task_id", "timestamp"));

    private ConsoleSchema() {
    }

    /** Every statement of console-prisma.sql, comments removed. */
    public static List<String> statements() {
        try (InputStream in = ConsoleSchema.class.getResourceAsStream("/console-prisma.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return Arrays.stream(sql.split(";\\s*\\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates schema {@code schema} (if missing) and the console's result tables in it. */
    public static void create(Connection c, String schema) throws SQLException {
        run(c, schema, statements());
    }

    static void run(Connection c, String schema, List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            String before;
            try (var rs = st.executeQuery("SELECT current_setting('search_path')")) {
                rs.next();
                before = rs.getString(1);
            }
            st.execute("SET search_path TO \"" + schema + "\"");
            try {
                for (String s : statements) {
                    st.execute(s);
                }
            } finally {
                try (var ps = c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                    ps.setString(1, before);
                    ps.execute();
                }
            }
        }
    }
}
