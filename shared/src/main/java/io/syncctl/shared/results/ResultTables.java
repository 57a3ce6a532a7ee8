package io.syncctl.shared.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * Every row change of the result tables (CONTRACT section 2), in one place, because clients poll
 * these tables and the moment each row changes is part of the contract. The api, the worker and the
 * sidecar all write through here.
 *
 * <p>Each method takes the caller's connection so it can join the caller's transaction. Methods that
 * end a task are conditional updates that report whether they won: several workers and the sidecar
 * may observe the same end, and only one of them may write it (DESIGN principle 2). Table names are
 * unqualified: the connection's schema (search_path of SYNCCTL_DATABASE_URL) decides where they live.
 */
public final class ResultTables {
    private ResultTables() {
    }

    // ---- spec ---------------------------------------------------------------------------------

    /** Success replaces whatever was there, including a client's {@code 'pending'} placeholder. */
    public static void specSucceeded(Connection c, String pkg, String version, String specJson) throws SQLException {
        update(c, """
                INSERT INTO source_spec (package, version, specs, "timestamp", error) VALUES (?, ?, ?::json, now(), NULL)
                ON CONFLICT ON CONSTRAINT source_spec_pkey
                DO UPDATE SET specs = EXCLUDED.specs, "timestamp" = now(), error = NULL""", pkg, version, specJson);
    }

    /** Failure replaces a placeholder or an earlier failure, never a good spec. */
    public static void specFailed(Connection c, String pkg, String version, String error) throws SQLException {
        update(c, """
                INSERT INTO source_spec (package, version, specs, "timestamp", error) VALUES (?, ?, NULL, now(), ?)
                ON CONFLICT ON CONSTRAINT source_spec_pkey
                DO UPDATE SET error = EXCLUDED.error, "timestamp" = now() WHERE source_spec.specs IS NULL""",
                pkg, version, nonEmpty(error));
    }

    /** The stored spec object (JSON text) of a connector version, or null when there is none. */
    public static String specOf(Connection c, String pkg, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT specs FROM source_spec WHERE package = ? AND version = ?")) {
            ps.setString(1, pkg);
            ps.setString(2, version);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ---- check --------------------------------------------------------------------------------

    /** Accepting a check removes the previous result so pollers see "no row" (pending) until the new one. */
    public static void checkAccepted(Connection c, String storageKey) throws SQLException {
        update(c, "DELETE FROM source_check WHERE key = ?", storageKey);
    }

    /** {@link #checkAccepted} for many keys in one statement (the api's group commit). */
    public static void checkAcceptedAll(Connection c, java.util.Collection<String> storageKeys) throws SQLException {
        if (storageKeys.isEmpty()) {
            return;
        }
        if (storageKeys.size() == 1) {
            checkAccepted(c, storageKeys.iterator().next());
            return;
        }
        // a JDBC batch of the single-key statement (one round trip): "key = ANY (?)" can get a cached
        // generic plan with a sequential scan, chosen while the table was small, that then stays
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM source_check WHERE key = ?")) {
            for (String key : storageKeys) {
                ps.setString(1, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The result of the check task {@code checkTaskId} (its {@code syncctl_task} id). Not written when a
     * newer check of the same key was accepted meanwhile: that one's pollers see "no row" until its own
     * result, never a late answer about an older config. Returns whether the row was written. A null or
     * unknown task id (a sidecar run by hand) writes unconditionally.
     */
    public static boolean checkFinished(Connection c, String pkg, String version, String storageKey,
                                        boolean success, String description, UUID checkTaskId) throws SQLException {
        return update(c, """
                INSERT INTO source_check (package, version, key, status, description, "timestamp")
                SELECT ?, ?, ?, ?, ?, now()
                WHERE NOT EXISTS (SELECT 1 FROM syncctl_task task
                                  JOIN syncctl_task newer ON newer.storage_key = task.storage_key AND newer.type = 'check'
                                                         AND newer.accepted_at > task.accepted_at
                                  WHERE task.id = ?)
                ON CONFLICT ON CONSTRAINT source_check_pkey
                DO UPDATE SET package = EXCLUDED.package, version = EXCLUDED.version, status = EXCLUDED.status,
                              description = EXCLUDED.description, "timestamp" = now()""",
                pkg, version, storageKey, success ? "SUCCESS" : "FAILED", description, checkTaskId) == 1;
    }

    // ---- discover -----------------------------------------------------------------------------

    /** RUNNING from the moment a discover is accepted; an earlier catalog stays readable meanwhile. */
    public static void discoverAccepted(Connection c, String pkg, String version, String storageKey) throws SQLException {
        update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, NULL, now(), 'RUNNING', NULL)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET status = 'RUNNING', description = NULL, "timestamp" = now()""", pkg, version, storageKey);
    }

    public static void discoverSucceeded(Connection c, String pkg, String version, String storageKey,
                                         String catalogJson) throws SQLException {
        update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, ?::json, now(), 'SUCCESS', NULL)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET catalog = EXCLUDED.catalog, status = 'SUCCESS', description = NULL, "timestamp" = now()""",
                pkg, version, storageKey, catalogJson);
    }

    /**
     * A failure of the discover accepted at {@code acceptedAt}. It never overwrites a success written
     * after that moment (a newer discover of the same key that already finished).
     */
    public static void discoverFailed(Connection c, String pkg, String version, String storageKey,
                                      String description, Instant acceptedAt) throws SQLException {
        update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, NULL, now(), 'FAILED', ?)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET status = 'FAILED', description = EXCLUDED.description, "timestamp" = now()
                WHERE NOT (source_catalog.status = 'SUCCESS' AND source_catalog."timestamp" >= ?)""",
                pkg, version, storageKey, nonEmpty(description), Timestamp.from(acceptedAt));
    }

    // ---- read (source_task) -------------------------------------------------------------------

    /** Inserts the RUNNING row of an accepted read. Returns false if a row with this task id already exists. */
    public static boolean readAccepted(Connection c, String syncId, String taskId, String pkg, String version,
                                       String startedByJson, String description) throws SQLException {
        return update(c, """
                INSERT INTO source_task (sync_id, task_id, package, version, started_at, updated_at, started_by, status, description)
                VALUES (?, ?, ?, ?, now(), now(), ?::json, 'RUNNING', ?)
                ON CONFLICT ON CONSTRAINT source_task_pkey DO NOTHING""",
                syncId, taskId, pkg, version, startedByJson, description) == 1;
    }

    /** The RUNNING row of an accepted read, for {@link #readAcceptedAll}. */
    public record AcceptedRead(String syncId, String taskId, String pkg, String version, String startedByJson,
                               String description) {
    }

    /**
     * {@link #readAccepted} for many reads in one statement (the api's group commit). Returns the task
     * ids whose row was inserted; a task id that already had a row is missing from the result.
     */
    public static java.util.Set<String> readAcceptedAll(Connection c, java.util.List<AcceptedRead> reads) throws SQLException {
        java.util.Set<String> inserted = new java.util.HashSet<>();
        if (reads.isEmpty()) {
            return inserted;
        }
        StringBuilder sql = new StringBuilder("""
                INSERT INTO source_task (sync_id, task_id, package, version, started_at, updated_at, started_by, status, description)
                VALUES """);
        for (int i = 0; i < reads.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, now(), now(), ?::json, 'RUNNING', ?)");
        }
        sql.append(" ON CONFLICT ON CONSTRAINT source_task_pkey DO NOTHING RETURNING task_id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (AcceptedRead r : reads) {
                ps.setString(p++, r.syncId());
                ps.setString(p++, r.taskId());
                ps.setString(p++, r.pkg());
                ps.setString(p++, r.version());
                ps.setString(p++, r.startedByJson());
                ps.setString(p++, r.description());
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
        }
        return inserted;
    }

    /** The task id of the read of this sync that is RUNNING, or null. */
    public static String runningRead(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT task_id FROM source_task WHERE sync_id = ? AND status = 'RUNNING' ORDER BY started_at DESC LIMIT 1")) {
            ps.setString(1, syncId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Refreshes {@code updated_at} (and the description when given) of a RUNNING read. Returns false once it is terminal. */
    public static boolean readProgress(Connection c, String taskId, String description) throws SQLException {
        return update(c, """
                UPDATE source_task SET updated_at = now(), description = COALESCE(?, description)
                WHERE task_id = ? AND status = 'RUNNING'""", description, taskId) == 1;
    }

    /**
     * Refreshes {@code updated_at} of those RUNNING reads among {@code taskIds} that were not refreshed
     * within {@code freshSeconds}: one statement for all pods a worker sees running, and a no-op for
     * rows another replica (or the sidecar) just refreshed. Returns the number of rows refreshed.
     */
    public static int readHeartbeat(Connection c, java.util.Collection<String> taskIds, int freshSeconds) throws SQLException {
        if (taskIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE source_task SET updated_at = now()
                WHERE task_id = ANY (?) AND status = 'RUNNING' AND updated_at < now() - make_interval(secs => ?)""")) {
            ps.setArray(1, c.createArrayOf("text", taskIds.toArray()));
            ps.setInt(2, freshSeconds);
            return ps.executeUpdate();
        }
    }

    /**
     * Ends a RUNNING read. Returns true for the one writer that won; a terminal status is never
     * overwritten, so a late or repeated observation is a harmless no-op.
     */
    public static boolean readFinished(Connection c, String taskId, ReadStatus status, String description,
                                       String error, String metricsJson) throws SQLException {
        if (!status.terminal()) {
            throw new IllegalArgumentException("not a terminal status: " + status);
        }
        return update(c, """
                UPDATE source_task SET status = ?, description = ?, error = ?, metrics = COALESCE(?::json, metrics),
                                       updated_at = now()
                WHERE task_id = ? AND status = 'RUNNING'""", status.name(), description, error, metricsJson, taskId) == 1;
    }

    /**
     * The statistics of a read that someone else (the api's {@code /cancel}) already marked CANCELLED:
     * the sidecar's final write loses the {@code status = 'RUNNING'} race of {@link #readFinished}, and
     * the console should still see per-stream counts. Never touches the status.
     */
    public static boolean readCancelledStatistics(Connection c, String taskId, String description, String error,
                                                  String metricsJson) throws SQLException {
        return update(c, """
                UPDATE source_task SET description = ?, error = COALESCE(?, error), metrics = COALESCE(?::json, metrics),
                                       updated_at = now()
                WHERE task_id = ? AND status = 'CANCELLED'""", description, error, metricsJson, taskId) == 1;
    }

    // ---- state and logs -----------------------------------------------------------------------

    public static void stateSaved(Connection c, String syncId, String streamKey, String stateJson) throws SQLException {
        update(c, """
                INSERT INTO source_state (sync_id, stream, state, "timestamp") VALUES (?, ?, ?::json, now())
                ON CONFLICT ON CONSTRAINT source_state_pkey DO UPDATE SET state = EXCLUDED.state, "timestamp" = now()""",
                syncId, streamKey, stateJson);
    }

    /** One task_log line; callers batch these with {@link #addLog} on one statement. */
    public static PreparedStatement prepareLog(Connection c) throws SQLException {
        return c.prepareStatement("""
                INSERT INTO task_log (level, logger, message, sync_id, task_id, "timestamp") VALUES (?, ?, ?, ?, ?, ?)""");
    }

    public static void addLog(PreparedStatement ps, LogLine line) throws SQLException {
        ps.setString(1, line.level().name());
        ps.setString(2, line.logger());
        ps.setString(3, line.message());
        ps.setString(4, line.syncId());
        ps.setString(5, line.taskId());
        ps.setTimestamp(6, Timestamp.from(line.timestamp()));
        ps.addBatch();
    }

    public static void log(Connection c, LogLine line) throws SQLException {
        try (PreparedStatement ps = prepareLog(c)) {
            addLog(ps, line);
            ps.executeBatch();
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? "unknown error" : s;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
