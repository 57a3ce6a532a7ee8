package io.syncctl.worker.jobs;

import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Failure;
import io.syncctl.worker.finalise.Finaliser;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Ends QUEUED tasks whose launch job can no longer run: deleted (from the JobRunr dashboard, or
 * removed), failed for good (when {@link LaunchFailedFilter} could not end the task itself), or
 * succeeded without launching. Such a task would otherwise wait forever. One replica at a time (a
 * PostgreSQL advisory lock per internal schema; the others skip that period), and each end is decided
 * again under the task's row lock, so a launch committing meanwhile wins.
 */
public final class LaunchSweep {
    private static final Logger LOG = Logger.getLogger(LaunchSweep.class);
    /** Job states after which a launch job never runs again (by itself). */
    static final Set<String> DEAD_STATES = Set.of("FAILED", "DELETED", "SUCCEEDED");
    static final int BATCH = 500;

    private final Db db;
    private final Finaliser finaliser;
    private final String jobsTable;
    private final String lockName;
    private final Duration grace;

    /** @param grace how old a queued task must be to be checked (its launch job commits with it, so a little is plenty) */
    public LaunchSweep(Db db, Finaliser finaliser, String internalSchema, Duration grace) {
        this.db = db;
        this.finaliser = finaliser;
        this.jobsTable = JobRunrStorage.tablePrefix(internalSchema) + "jobrunr_jobs";
        this.lockName = "syncctl.launch-sweep." + internalSchema;
        this.grace = grace;
    }

    /**
     * {@code JobIds.launch(id)} in SQL: a name-based (version 3) UUID, the MD5 of {@code launch:<id>}
     * with the version and variant bits set, as {@link UUID#nameUUIDFromBytes} makes it.
     */
    public static String launchJobIdSql(String taskIdColumn) {
        String m = "md5('launch:' || " + taskIdColumn + "::text)";
        return "substr(" + m + ", 1, 8) || '-' || substr(" + m + ", 9, 4) || '-3' || substr(" + m + ", 14, 3) || '-'"
                + " || substr('89ab', (('x' || substr(" + m + ", 17, 1))::bit(4)::int & 3) + 1, 1) || substr(" + m + ", 18, 3)"
                + " || '-' || substr(" + m + ", 21, 12)";
    }

    /**
     * Returns how many tasks it ended; 0 when another replica holds the sweep. The advisory lock is
     * the transaction's, so it goes with the transaction whatever happens to the connection.
     */
    public int sweep() throws SQLException {
        return db.tx(lock -> advisoryLock(lock) ? sweepLocked() : 0);
    }

    private int sweepLocked() throws SQLException {
        Map<UUID, String> stuck = db.tx(c -> {
            Map<UUID, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, j.state FROM syncctl_task t"
                    + " LEFT JOIN " + jobsTable + " j ON j.id = (" + launchJobIdSql("t.id") + ")::char(36)"
                    + " WHERE t.phase = 'QUEUED' AND t.accepted_at < now() - make_interval(secs => ?)"
                    + " AND (j.id IS NULL OR j.state IN ('FAILED', 'DELETED', 'SUCCEEDED'))"
                    + " ORDER BY t.accepted_at LIMIT " + BATCH)) {
                ps.setDouble(1, grace.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getObject(1, UUID.class), rs.getString(2));
                    }
                }
            }
            return out;
        });
        int ended = 0;
        for (Map.Entry<UUID, String> e : stuck.entrySet()) {
            UUID taskId = e.getKey();
            String state = e.getValue();
            boolean done = finaliser.end(taskId, new Failure.CreateFailed(reason(state), null),
                    (c, task) -> task.phase() == TaskPhase.QUEUED && jobState(c, taskId).map(DEAD_STATES::contains).orElse(true));
            if (done) {
                ended++;
                LOG.warnf("task %s was queued with a launch job that cannot run (%s): ended", taskId,
                        state == null ? "job gone" : "job " + state);
            }
        }
        return ended;
    }

    static String reason(String jobState) {
        if (jobState == null || jobState.equals("DELETED")) {
            return "its launch job was deleted (e.g. from the JobRunr dashboard) before the pod was created";
        }
        if (jobState.equals("FAILED")) {
            return "its launch job failed for good (every retry used; the errors are on the JobRunr dashboard)";
        }
        return "its launch job ended without creating the pod";
    }

    private Optional<String> jobState(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM " + jobsTable + " WHERE id = ?")) {
            ps.setString(1, JobIds.launch(taskId).toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private boolean advisoryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, lockName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
