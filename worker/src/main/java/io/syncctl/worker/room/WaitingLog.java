package io.syncctl.worker.room;

import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.db.Db;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Tells a task's log ({@code task_log}) that it waits for room, and for how long: at most one line a
 * {@link #EVERY} per task, whichever replica notices (a recent line in the table is checked first), so
 * a long wait reads as a few lines, not one per resync. Best effort: a failure to write is only logged.
 */
public final class WaitingLog {
    private static final Logger LOG = Logger.getLogger(WaitingLog.class);
    /** Every line this class writes starts so; the dashboard and tests find them by it. */
    public static final String PREFIX = "waiting for room";
    static final Duration EVERY = Duration.ofMinutes(1);
    private static final int REMEMBERED = 10_000;

    private final Db db;
    private final TaskStore store;
    private final Clock clock;
    /** When this replica last wrote (or found) a line per task; bounded, oldest dropped first. */
    private final Map<UUID, Instant> lastLine = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    public WaitingLog(Db db, TaskStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** Notes that the task waits: {@code where} completes "waiting for room ...", e.g. "in the cluster for 2 min". */
    public void waiting(UUID taskId, String where) {
        Instant now = clock.instant();
        synchronized (lastLine) {
            Instant last = lastLine.get(taskId);
            if (last != null && last.isAfter(now.minus(EVERY))) {
                return;
            }
            lastLine.put(taskId, now);
        }
        try {
            db.tx(c -> {
                TaskRecord task = store.find(c, taskId).orElse(null);
                if (task == null || task.phase().terminal()) {
                    return null;
                }
                String syncId = logSyncId(task);
                String logTaskId = logTaskId(task);
                // 10 s of slack: replicas' lines a little less than a period apart still count as one.
                if (!ResultTables.hasRecentLog(c, syncId, logTaskId, PREFIX, now.minus(EVERY).plusSeconds(10))) {
                    ResultTables.log(c, new LogLine(LogLine.Level.INFO, LogLine.OURS, PREFIX + " " + where, syncId, logTaskId, now));
                }
                return null;
            });
        } catch (Exception e) {
            LOG.debugf("could not note in task %s's log that it waits: %s", taskId, e.toString());
        }
    }

    /** The keys the sidecar writes the task's lines under: a read's syncId and taskId, else the internal id for both. */
    static String logTaskId(TaskRecord task) {
        return task.type() == TaskType.READ && task.taskId() != null ? task.taskId() : task.id().toString();
    }

    static String logSyncId(TaskRecord task) {
        return task.type() == TaskType.READ && task.syncId() != null ? task.syncId() : logTaskId(task);
    }
}
