package io.syncctl.shared.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The result tables exactly as the Jitsu console's Prisma creates them ({@code console-prisma.sql},
 * CONTRACT section 2): jsonb columns, no default for {@code task_log.id}, no
 * {@code source_task.metrics}/{@code error}. Tests that play the console create them with this, and
 * {@link SchemaPush} takes them as the model the console's {@code prisma db push} restores.
 */
public final class ConsoleSchema {
    private ConsoleSchema() {
    }

    /** The text of console-prisma.sql: unqualified DDL for the schema on the search_path. */
    public static String ddl() {
        try (InputStream in = ConsoleSchema.class.getResourceAsStream("/console-prisma.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates schema {@code schema} (if missing) and the console's result tables in it. */
    public static void create(Connection c, String schema) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
            String before;
            try (var rs = st.executeQuery("SELECT current_setting('search_path')")) {
                rs.next();
                before = rs.getString(1);
            }
            st.execute("SET search_path TO \"" + schema + "\"");
            try {
                st.execute(ddl());
            } finally {
                try (var ps = c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                    ps.setString(1, before);
                    ps.execute();
                }
            }
        }
    }
}
