package io.syncctl.worker.finalise;

import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * The worker's side of the result tables: what the sidecar already recorded for a task, and the
 * worker's own ending when it did not. All row changes go through {@link ResultTables}.
 */
public final class TaskResults {
    private TaskResults() {
    }

    /**
     * The ending the sidecar recorded for this task since it was accepted, or empty if none. Only
     * asked once the pod has ended, when the sidecar can no longer write.
     */
    public static Optional<TaskOutcome> recorded(Connection c, TaskRecord t) throws SQLException {
        // Result timestamps are rounded to milliseconds; accepted_at has microseconds.
        Timestamp since = Timestamp.from(t.acceptedAt().minusMillis(1));
        Optional<String> status = switch (t.type()) {
            case SPEC -> first(c, """
                    SELECT CASE WHEN specs IS NOT NULL THEN 'SUCCESS' ELSE 'FAILED' END FROM source_spec
                    WHERE package = ? AND version = ? AND "timestamp" >= ? AND (specs IS NOT NULL OR error IS DISTINCT FROM 'pending')""",
                    t.pkg(), t.version(), since);
            case CHECK -> first(c, """
                    SELECT status FROM source_check WHERE key = ? AND "timestamp" >= ?""", t.storageKey(), since);
            case DISCOVER -> first(c, """
                    SELECT status FROM source_catalog WHERE package = ? AND version = ? AND key = ?
                    AND status <> 'RUNNING' AND "timestamp" >= ?""", t.pkg(), t.version(), t.storageKey(), since);
            case READ -> first(c, "SELECT status FROM source_task WHERE task_id = ? AND status <> 'RUNNING'", t.taskId());
        };
        return status.map(TaskOutcome::ofRecordedStatus);
    }

    /** Writes the worker's ending of a task that has no recorded result. Returns false if a read was already terminal. */
    public static boolean write(Connection c, TaskRecord t, Ending o) throws SQLException {
        String reason = o.describe();
        switch (t.type()) {
            case SPEC -> ResultTables.specFailed(c, t.pkg(), t.version(), reason);
            case CHECK -> ResultTables.checkFinished(c, t.pkg(), t.version(), t.storageKey(), false, reason, t.id());
            case DISCOVER -> ResultTables.discoverFailed(c, t.pkg(), t.version(), t.storageKey(), reason, t.acceptedAt());
            case READ -> {
                boolean won = ResultTables.readFinished(c, t.taskId(), o.status(), reason,
                        o.status() == ReadStatus.CANCELLED ? null : reason, null);
                if (won) {
                    LogLine.Level level = o.status() == ReadStatus.CANCELLED ? LogLine.Level.WARN : LogLine.Level.ERROR;
                    ResultTables.log(c, LogLine.ours(level, "task ended: " + reason, t.syncId(), t.taskId()));
                }
                return won;
            }
        }
        return true;
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
}
