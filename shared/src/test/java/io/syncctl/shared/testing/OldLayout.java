package io.syncctl.shared.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The layout of syncctl before the internal schema: the old migrations V1-V4 (kept under
 * {@code db/syncctl-old} in the test resources, as Flyway location {@code classpath:db/syncctl-old})
 * created the result tables and {@code syncctl_task} in the result schema; JobRunr's tables were there too.
 */
public final class OldLayout {
    public static final String FLYWAY_LOCATION = "classpath:db/syncctl-old";
    public static final List<String> SCRIPTS = List.of("V1__result_tables.sql", "V2__tasks.sql",
            "V3__worker_launch_state.sql", "V4__check_supersede_index.sql");

    private OldLayout() {
    }

    /** Runs the old migrations' SQL in {@code schema} without Flyway (no history table). */
    public static void migrate(Connection c, String schema) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            for (String script : SCRIPTS) {
                st.execute("SET search_path TO " + schema + "; " + script(script));
            }
        }
    }

    public static String script(String name) {
        try (InputStream in = OldLayout.class.getResourceAsStream("/db/syncctl-old/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
