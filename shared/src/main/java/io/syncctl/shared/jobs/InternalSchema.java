package io.syncctl.shared.jobs;

import io.syncctl.shared.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The upgrade from the old layout, where everything of ours lived in the result schema beside the
 * result tables: {@code syncctl_task}, JobRunr's {@code jobrunr_*} tables and views, and Flyway's
 * history of our old migrations V1-V4. The console's {@code prisma db push --accept-data-loss}
 * would drop all of them there, so they move to the internal schema, rows and all.
 *
 * <p>They move only when the result schema holds {@code syncctl_task} (JobRunr's tables alone may be
 * another application's) and the internal schema has none of its own yet (a fresh internal schema or an
 * upgrade interrupted before the move): relations are moved with {@code ALTER ... SET SCHEMA} in one
 * transaction, which keeps their rows, indexes, constraints and the views' definitions. The old
 * Flyway history is dropped rather than moved: it describes the result tables too, and the internal
 * schema's own idempotent migration adopts the moved {@code syncctl_task} (Flyway baselines the
 * now non-empty internal schema, then runs V1, whose statements are all IF NOT EXISTS). The result
 * tables themselves stay where they are, unchanged.
 *
 * <p>Callers hold the schema-setup lock ({@link SchemaSetup}), so two replicas never move at once.
 */
public final class InternalSchema {
    /** Our old migrations' scripts: a history holding anything else is not ours to drop. */
    private static final List<String> OLD_SCRIPTS = List.of("V1__result_tables.sql", "V2__tasks.sql",
            "V3__worker_launch_state.sql", "V4__check_supersede_index.sql");

    public record Adoption(List<String> moved, List<String> leftBehind) {
    }

    private record Relation(String name, char kind) {
        String alterKeyword() {
            return switch (kind) {
                case 'v' -> "VIEW";
                case 'm' -> "MATERIALIZED VIEW";
                default -> "TABLE";
            };
        }
    }

    private InternalSchema() {
    }

    public static Adoption adoptOldLayout(Connection c, String resultSchema, String internalSchema) throws SQLException {
        if (resultSchema.equals(internalSchema)) {
            return new Adoption(List.of(), List.of());
        }
        List<Relation> old = ours(c, resultSchema);
        // syncctl_task marks our old layout: JobRunr tables alone may be another application's
        if (old.stream().noneMatch(r -> r.name().equals("syncctl_task"))) {
            return new Adoption(List.of(), List.of());
        }
        if (!ours(c, internalSchema).isEmpty()) {
            return new Adoption(List.of(), old.stream().map(r -> resultSchema + "." + r.name()).toList());
        }
        List<String> moved = new ArrayList<>();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            String from = DatabaseUrl.identifier(resultSchema) + ".";
            String to = DatabaseUrl.identifier(internalSchema);
            for (Relation r : old) {
                st.execute("ALTER " + r.alterKeyword() + " " + from + "\"" + r.name() + "\" SET SCHEMA " + to);
                moved.add(r.name());
            }
            if (oldHistoryIsOurs(c, resultSchema)) {
                st.execute("DROP TABLE " + from + "flyway_schema_history");
                moved.add("flyway_schema_history (dropped)");
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return new Adoption(moved, List.of());
    }

    /** Our tables and views in a schema: tables first, then views (which move independently). */
    private static List<Relation> ours(Connection c, String schema) throws SQLException {
        List<Relation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.relname, r.relkind FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = ? AND r.relkind IN ('r', 'p', 'v', 'm')
                  AND (r.relname = 'syncctl_task' OR r.relname LIKE 'jobrunr\\_%')
                ORDER BY r.relkind IN ('v', 'm'), r.relname""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Relation(rs.getString(1), rs.getString(2).charAt(0)));
                }
            }
        }
        return out;
    }

    private static boolean oldHistoryIsOurs(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
                WHERE n.nspname = ? AND r.relname = 'flyway_schema_history' AND r.relkind = 'r'""")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        String history = DatabaseUrl.identifier(schema) + ".flyway_schema_history";
        try (PreparedStatement ps = c.prepareStatement("SELECT bool_or(script = 'V2__tasks.sql'), bool_and(script = ANY (?) OR type IN ('SCHEMA', 'BASELINE')) FROM " + history)) {
            ps.setArray(1, c.createArrayOf("text", OLD_SCRIPTS.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1) && rs.getBoolean(2);
            }
        }
    }
}
