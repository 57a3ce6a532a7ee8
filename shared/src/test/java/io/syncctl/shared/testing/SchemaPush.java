package io.syncctl.shared.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Does to a schema what the Jitsu console's {@code prisma db push --accept-data-loss} does at every
 * console start (its compose file sets FORCE_UPDATE_DB=true), for the console's result-table models:
 * drops every table it has no model for, every column, index and default its models do not declare,
 * turns {@code json} columns into the {@code jsonb} its {@code Json} fields are, and creates missing
 * model tables as Prisma would.
 */
public final class SchemaPush {
    private static final Set<String> INDEXES = Set.of("source_spec_pkey", "source_check_pkey", "source_catalog_pkey",
            "source_state_pkey", "source_task_pkey", "task_log_pkey", "source_task_sync_id_idx", "source_task_started_at_idx",
            "task_log_sync_id_idx", "task_log_task_id_idx", "task_log_timestamp_idx");
    private static final Set<String> DEFAULTS = Set.of("timestamp", "started_at", "updated_at");
    private static final Map<String, List<String>> JSONB = Map.of("source_spec", List.of("specs"),
            "source_catalog", List.of("catalog"), "source_state", List.of("state"), "source_task", List.of("started_by"));

    private SchemaPush() {
    }

    public static void push(Connection c, String schema) throws SQLException {
        String q = "\"" + schema + "\".";
        try (Statement st = c.createStatement()) {
            for (String table : list(c, "SELECT tablename FROM pg_tables WHERE schemaname = ?", schema)) {
                if (!ConsoleSchema.COLUMNS.containsKey(table)) {
                    st.execute("DROP TABLE IF EXISTS " + q + "\"" + table + "\" CASCADE");
                }
            }
            for (Map.Entry<String, List<String>> model : ConsoleSchema.COLUMNS.entrySet()) {
                String table = model.getKey();
                String t = q + "\"" + table + "\"";
                if (list(c, "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename = '" + table + "'", schema).isEmpty()) {
                    List<String> create = ConsoleSchema.statements().stream().filter(s -> s.contains("\"" + table + "\"")).toList();
                    ConsoleSchema.run(c, schema, create);
                    continue;
                }
                for (String column : list(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = '"
                        + table + "'", schema)) {
                    if (!model.getValue().contains(column)) {
                        st.execute("ALTER TABLE " + t + " DROP COLUMN \"" + column + "\" CASCADE");
                    } else if (!DEFAULTS.contains(column)) {
                        st.execute("ALTER TABLE " + t + " ALTER COLUMN \"" + column + "\" DROP DEFAULT");
                    }
                }
                for (String json : JSONB.getOrDefault(table, List.of())) {
                    st.execute("ALTER TABLE " + t + " ALTER COLUMN \"" + json + "\" TYPE jsonb USING \"" + json + "\"::jsonb");
                }
                for (String index : list(c, "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = '" + table + "'", schema)) {
                    if (!INDEXES.contains(index)) {
                        st.execute("DROP INDEX " + q + "\"" + index + "\"");
                    }
                }
            }
        }
    }

    private static List<String> list(Connection c, String sql, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
