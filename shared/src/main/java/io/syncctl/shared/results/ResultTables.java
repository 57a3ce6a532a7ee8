package io.syncctl.shared.results;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every row change of the result tables (CONTRACT section 2), in one place, because clients poll
 * these tables and the moment each row changes is part of the contract. The api, the worker and the
 * sidecar all write through here; which statement an event of each task type means (acceptance,
 * answer, failure, cancel) is {@link ResultEffects}'.
 *
 * <p>Each method takes the caller's connection so it can join the caller's transaction. Methods that
 * end a task are conditional updates that report whether they won: several workers and the sidecar
 * may observe the same end, and only one of them may write it (DESIGN principle 2). Table names are
 * unqualified: the connection's search_path (result schema, then internal schema) decides where they live.
 *
 * <p>The tables may be the console's (CONTRACT section 2), so nothing here relies on what the console
 * does not declare: {@code task_log.id} is generated here, JSON is bound untyped so that {@code json}
 * and {@code jsonb} columns alike take it, and {@code source_task.metrics}/{@code error} are written
 * only where they exist (looked up per write, and once more when a write meets an undefined column:
 * the console may push its schema while we run).
 */
public final class ResultTables {
    static final String UNDEFINED_TABLE = "42P01";
    static final String UNDEFINED_COLUMN = "42703";
    static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** JSON text bound without a type, so the column ({@code json} or {@code jsonb}) decides. */
    private record Json(String text) {
    }

    private ResultTables() {
    }

    // ---- spec ---------------------------------------------------------------------------------

    /** Success replaces whatever was there, including a client's {@code 'pending'} placeholder. Returns true. */
    public static boolean specSucceeded(Connection c, String pkg, String version, String specJson) throws SQLException {
        return update(c, """
                INSERT INTO source_spec (package, version, specs, "timestamp", error) VALUES (?, ?, ?, now(), NULL)
                ON CONFLICT ON CONSTRAINT source_spec_pkey
                DO UPDATE SET specs = EXCLUDED.specs, "timestamp" = now(), error = NULL""", pkg, version, new Json(specJson)) == 1;
    }

    /** Failure replaces a placeholder or an earlier failure, never a good spec. Returns whether it was written. */
    public static boolean specFailed(Connection c, String pkg, String version, String error) throws SQLException {
        return update(c, """
                INSERT INTO source_spec (package, version, specs, "timestamp", error) VALUES (?, ?, NULL, now(), ?)
                ON CONFLICT ON CONSTRAINT source_spec_pkey
                DO UPDATE SET error = EXCLUDED.error, "timestamp" = now() WHERE source_spec.specs IS NULL""",
                pkg, version, nonEmpty(error)) == 1;
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
     * unknown task id (a sidecar run by hand) writes unconditionally, and so does a connection that
     * cannot read {@code syncctl_task} (not in its search_path, or a role without access, e.g. another
     * controller's sidecar): only the guard is skipped then, never the result.
     */
    public static boolean checkFinished(Connection c, String pkg, String version, String storageKey,
                                        boolean success, String description, UUID checkTaskId) throws SQLException {
        String status = success ? "SUCCESS" : "FAILED";
        if (checkTaskId == null) {
            return update(c, CHECK_RESULT, pkg, version, storageKey, status, description) == 1;
        }
        Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            boolean written = update(c, CHECK_RESULT_UNLESS_SUPERSEDED, pkg, version, storageKey, status, description, checkTaskId) == 1;
            release(c, sp);
            return written;
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState()) && !INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            if (sp != null) {
                c.rollback(sp);
            }
            // syncctl_task cannot be read here (if source_check is what is missing, this fails the same way)
            return update(c, CHECK_RESULT, pkg, version, storageKey, status, description) == 1;
        }
    }

    private static final String CHECK_UPSERT = """
            ON CONFLICT ON CONSTRAINT source_check_pkey
            DO UPDATE SET package = EXCLUDED.package, version = EXCLUDED.version, status = EXCLUDED.status,
                          description = EXCLUDED.description, "timestamp" = now()""";
    private static final String CHECK_RESULT = """
            INSERT INTO source_check (package, version, key, status, description, "timestamp")
            VALUES (?, ?, ?, ?, ?, now())
            """ + CHECK_UPSERT;
    private static final String CHECK_RESULT_UNLESS_SUPERSEDED = """
            INSERT INTO source_check (package, version, key, status, description, "timestamp")
            SELECT ?, ?, ?, ?, ?, now()
            WHERE NOT EXISTS (SELECT 1 FROM syncctl_task task
                              JOIN syncctl_task newer ON newer.storage_key = task.storage_key AND newer.type = 'check'
                                                     AND newer.accepted_at > task.accepted_at
                              WHERE task.id = ?)
            """ + CHECK_UPSERT;

    // ---- discover -----------------------------------------------------------------------------

    /** RUNNING from the moment a discover is accepted; an earlier catalog stays readable meanwhile. */
    public static void discoverAccepted(Connection c, String pkg, String version, String storageKey) throws SQLException {
        update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, NULL, now(), 'RUNNING', NULL)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET status = 'RUNNING', description = NULL, "timestamp" = now()""", pkg, version, storageKey);
    }

    public static boolean discoverSucceeded(Connection c, String pkg, String version, String storageKey,
                                         String catalogJson) throws SQLException {
        return update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, ?, now(), 'SUCCESS', NULL)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET catalog = EXCLUDED.catalog, status = 'SUCCESS', description = NULL, "timestamp" = now()""",
                pkg, version, storageKey, new Json(catalogJson)) == 1;
    }

    /**
     * A failure of a discover accepted at {@code since} ({@link TaskRef#resultsSince()}). It never
     * overwrites a success written after that moment (a newer discover of the same key that already finished).
     * Returns whether it was written.
     */
    public static boolean discoverFailed(Connection c, String pkg, String version, String storageKey,
                                      String description, Instant since) throws SQLException {
        return update(c, """
                INSERT INTO source_catalog (package, version, key, catalog, "timestamp", status, description)
                VALUES (?, ?, ?, NULL, now(), 'FAILED', ?)
                ON CONFLICT ON CONSTRAINT source_catalog_pkey
                DO UPDATE SET status = 'FAILED', description = EXCLUDED.description, "timestamp" = now()
                WHERE NOT (source_catalog.status = 'SUCCESS' AND source_catalog."timestamp" >= ?)""",
                pkg, version, storageKey, nonEmpty(description), Timestamp.from(since)) == 1;
    }

    // ---- read (source_task) -------------------------------------------------------------------

    /** Inserts the RUNNING row of an accepted read. Returns false if a row with this task id already exists. */
    public static boolean readAccepted(Connection c, String syncId, String taskId, String pkg, String version,
                                       String startedByJson, String description) throws SQLException {
        return update(c, """
                INSERT INTO source_task (sync_id, task_id, package, version, started_at, updated_at, started_by, status, description)
                VALUES (?, ?, ?, ?, now(), now(), ?, 'RUNNING', ?)
                ON CONFLICT ON CONSTRAINT source_task_pkey DO NOTHING""",
                syncId, taskId, pkg, version, new Json(startedByJson), description) == 1;
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
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, now(), now(), ?, 'RUNNING', ?)");
        }
        sql.append(" ON CONFLICT ON CONSTRAINT source_task_pkey DO NOTHING RETURNING task_id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (AcceptedRead r : reads) {
                ps.setString(p++, r.syncId());
                ps.setString(p++, r.taskId());
                ps.setString(p++, r.pkg());
                ps.setString(p++, r.version());
                ps.setObject(p++, r.startedByJson(), Types.OTHER);
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

    /** The status of a read ({@code source_task.status}), or null when it has no row. */
    public static String readStatus(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM source_task WHERE task_id = ?")) {
            ps.setString(1, taskId);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
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
     * overwritten, so a late or repeated observation is a harmless no-op. {@code error} and
     * {@code metricsJson} go to {@code source_task.error}/{@code metrics} where those columns exist.
     */
    public static boolean readFinished(Connection c, String taskId, ReadStatus status, String description,
                                       String error, String metricsJson) throws SQLException {
        if (!status.terminal()) {
            throw new IllegalArgumentException("not a terminal status: " + status);
        }
        return updateTask(c, columns -> {
            StringBuilder sql = new StringBuilder("UPDATE source_task SET status = ?, description = ?");
            List<Object> args = new ArrayList<>(List.of(status.name()));
            args.add(description);
            if (columns.error()) {
                sql.append(", error = ?");
                args.add(error);
            }
            if (columns.metrics()) {
                sql.append(", metrics = COALESCE(?, metrics)");
                args.add(new Json(metricsJson));
            }
            sql.append(", updated_at = now() WHERE task_id = ? AND status = 'RUNNING'");
            args.add(taskId);
            return new TaskUpdate(sql.toString(), args);
        }) == 1;
    }

    /**
     * The statistics of a read that {@code /cancel} already marked {@code CANCELLED} (the api does so at
     * once; the sidecar learns of it by SIGTERM and then knows what was read): fills {@code description}
     * and, where the columns exist, {@code metrics} and {@code error} (an error already recorded is
     * kept), without touching the status. Returns false when the read is not CANCELLED.
     */
    public static boolean readCancelledStatistics(Connection c, String taskId, String description, String error,
                                                  String metricsJson) throws SQLException {
        return updateTask(c, columns -> {
            StringBuilder sql = new StringBuilder("UPDATE source_task SET description = COALESCE(?, description)");
            List<Object> args = new ArrayList<>();
            args.add(description);
            if (columns.error()) {
                sql.append(", error = COALESCE(error, ?)");
                args.add(error);
            }
            if (columns.metrics()) {
                sql.append(", metrics = COALESCE(?, metrics)");
                args.add(new Json(metricsJson));
            }
            sql.append(", updated_at = now() WHERE task_id = ? AND status = 'CANCELLED'");
            args.add(taskId);
            return new TaskUpdate(sql.toString(), args);
        }) == 1;
    }

    /** Which of the optional {@code source_task} columns the table the connection sees has. */
    record TaskColumns(boolean metrics, boolean error) {
    }

    private record TaskUpdate(String sql, List<Object> args) {
    }

    /** The optional columns of the {@code source_task} that this connection's search_path resolves to. */
    static TaskColumns taskColumns(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(bool_or(attname = 'metrics'), false), coalesce(bool_or(attname = 'error'), false)
                FROM pg_attribute WHERE attrelid = to_regclass('source_task') AND attname IN ('metrics', 'error')
                  AND attnum > 0 AND NOT attisdropped""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new TaskColumns(rs.getBoolean(1), rs.getBoolean(2));
        }
    }

    /**
     * Runs an update of {@code source_task} built for the columns it has. A column can disappear
     * between the look-up and the update (the console pushing its schema): that update fails with
     * undefined_column and is built and run once more.
     */
    private static int updateTask(Connection c, java.util.function.Function<TaskColumns, TaskUpdate> build) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            TaskUpdate st = build.apply(taskColumns(c));
            Savepoint sp = attempt == 1 && !c.getAutoCommit() ? c.setSavepoint() : null;
            try {
                int n = update(c, st.sql(), st.args().toArray());
                release(c, sp);
                return n;
            } catch (SQLException e) {
                if (attempt > 1 || !UNDEFINED_COLUMN.equals(e.getSQLState())) {
                    throw e;
                }
                if (sp != null) {
                    c.rollback(sp);
                }
            }
        }
    }

    private static void release(Connection c, Savepoint sp) throws SQLException {
        if (sp != null) {
            c.releaseSavepoint(sp);
        }
    }

    // ---- what was recorded (asked once a task's pod has ended, when nothing can write any more) ---

    /** SUCCESS or FAILED when a spec result was written since {@code since}; a client's {@code 'pending'} placeholder is none. */
    public static Optional<String> specStatusSince(Connection c, String pkg, String version, Instant since) throws SQLException {
        return first(c, """
                SELECT CASE WHEN specs IS NOT NULL THEN 'SUCCESS' ELSE 'FAILED' END FROM source_spec
                WHERE package = ? AND version = ? AND "timestamp" >= ? AND (specs IS NOT NULL OR error IS DISTINCT FROM 'pending')""",
                pkg, version, Timestamp.from(since));
    }

    /** The status of a check result written since {@code since}. */
    public static Optional<String> checkStatusSince(Connection c, String storageKey, Instant since) throws SQLException {
        return first(c, """
                SELECT status FROM source_check WHERE key = ? AND "timestamp" >= ?""", storageKey, Timestamp.from(since));
    }

    /** The status of a discover result (not RUNNING) written since {@code since}. */
    public static Optional<String> discoverStatusSince(Connection c, String pkg, String version, String storageKey,
                                                       Instant since) throws SQLException {
        return first(c, """
                SELECT status FROM source_catalog WHERE package = ? AND version = ? AND key = ?
                AND status <> 'RUNNING' AND "timestamp" >= ?""", pkg, version, storageKey, Timestamp.from(since));
    }

    /** The terminal status of a read, if it has one. */
    public static Optional<String> readEndStatus(Connection c, String taskId) throws SQLException {
        return first(c, "SELECT status FROM source_task WHERE task_id = ? AND status <> 'RUNNING'", taskId);
    }

    private static Optional<String> first(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    // ---- state and logs -----------------------------------------------------------------------

    public static void stateSaved(Connection c, String syncId, String streamKey, String stateJson) throws SQLException {
        update(c, """
                INSERT INTO source_state (sync_id, stream, state, "timestamp") VALUES (?, ?, ?, now())
                ON CONFLICT ON CONSTRAINT source_state_pkey DO UPDATE SET state = EXCLUDED.state, "timestamp" = now()""",
                syncId, streamKey, new Json(stateJson));
    }

    /**
     * One task_log line; callers batch these with {@link #addLog} on one statement. The id is ours to
     * generate: the console's table has no default for it.
     */
    public static PreparedStatement prepareLog(Connection c) throws SQLException {
        return c.prepareStatement("""
                INSERT INTO task_log (id, level, logger, message, sync_id, task_id, "timestamp") VALUES (?, ?, ?, ?, ?, ?, ?)""");
    }

    public static void addLog(PreparedStatement ps, LogLine line) throws SQLException {
        ps.setObject(1, UUID.randomUUID());
        ps.setString(2, line.level().name());
        ps.setString(3, line.logger());
        ps.setString(4, line.message());
        ps.setString(5, line.syncId());
        ps.setString(6, line.taskId());
        ps.setTimestamp(7, Timestamp.from(line.timestamp()));
        ps.addBatch();
    }

    public static void log(Connection c, LogLine line) throws SQLException {
        try (PreparedStatement ps = prepareLog(c)) {
            addLog(ps, line);
            ps.executeBatch();
        }
    }

    /**
     * Whether the task has one of our lines starting with {@code prefix} written after {@code since}: lines
     * repeated while a task waits are written at most once a period, whichever replica writes them.
     */
    public static boolean hasRecentLog(Connection c, String syncId, String taskId, String prefix, Instant since)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT 1 FROM task_log WHERE task_id = ? AND sync_id = ? AND logger = ? AND "timestamp" > ?
                  AND left(message, ?) = ? LIMIT 1""")) {
            ps.setString(1, taskId);
            ps.setString(2, syncId);
            ps.setString(3, LogLine.OURS);
            ps.setTimestamp(4, Timestamp.from(since));
            ps.setInt(5, prefix.length());
            ps.setString(6, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? "unknown error" : s;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Json json) {
                    ps.setObject(i + 1, json.text(), Types.OTHER);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps.executeUpdate();
        }
    }
}
