package io.syncctl.worker.finalise;

import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.metrics.WorkerMetrics;
import io.syncctl.worker.monitor.PodVerdict;
import io.syncctl.worker.room.Waits;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Ends tasks. Any replica may observe the same end; the conditional phase change in
 * {@link TaskStore} (under a row lock) admits one winner, which writes the result rows. The end is
 * always recorded before the pod is removed, and removing (by the {@link PodRemover}, off the
 * caller's thread) is safe to repeat, so every observer may ask for it.
 */
public final class Finaliser {
    private static final Logger LOG = Logger.getLogger(Finaliser.class);
    static final int FINISHED_REMEMBERED = 20_000;

    private final Db db;
    private final TaskStore store;
    private final PodRemover remover;
    private final PodLogs logs;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final FinishedTasks finished = new FinishedTasks(FINISHED_REMEMBERED);

    public Finaliser(Db db, TaskStore store, PodRemover remover, PodLogs logs, WorkerMetrics metrics, Clock clock) {
        this.db = db;
        this.store = store;
        this.remover = remover;
        this.logs = logs;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** True if this worker has seen the task ended in the database (recently). */
    public boolean finished(UUID taskId) {
        return finished.contains(taskId);
    }

    /**
     * The pod ended by itself. What the sidecar recorded stands; only when it recorded nothing does the
     * worker write why the task failed. Then the pod goes.
     */
    public void podEnded(UUID taskId, String podName, PodVerdict.Ended ended) throws SQLException {
        FirstLook look = endFromRecord(taskId);
        if (look.task() == null) {
            removePod(podName, false);
            return;
        }
        TaskRecord task = look.task();
        Optional<Finished> finished = Optional.ofNullable(look.recorded()).map(Finished::recorded);
        if (!look.wasTerminal() && finished.isEmpty()) {
            // Fetching logs is network I/O: do it outside the transaction, and only when needed.
            Ending ending = task.cancelRequestedAt() != null ? new Ending.Cancelled()
                    : EndingDescriber.failure(task.type(), ended, container -> logs.tail(podName, container));
            finished = db.tx(c -> {
                Optional<TaskRecord> locked = store.findForUpdate(c, taskId);
                if (locked.isEmpty() || locked.get().phase().terminal()) {
                    return Optional.empty();
                }
                Optional<TaskOutcome> now = ResultEffects.recorded(c, locked.get().ref());
                if (now.isPresent()) {
                    store.markEnded(c, taskId, now.get());
                    return now.map(Finished::recorded);
                }
                ResultEffects.failed(c, locked.get().ref(), ending.status(), ending.describe());
                store.markEnded(c, taskId, ending.outcome());
                return Optional.of(Finished.by(ending));
            });
        }
        this.finished.add(taskId);
        removePod(podName, false);
        finished.ifPresent(f -> {
            metrics.taskFinished(task.type().command(), f.outcome().name(), f.failureTag());
            if (ended.at() != null) {
                metrics.finalised(task.type().command(), Duration.between(ended.at(), clock.instant()));
            }
            LOG.infof("task %s ended: %s", task.label(), f);
        });
    }

    /**
     * The first, usually only, transaction of an end: if the task is still open and the sidecar (or
     * connector) recorded how it ended, that ends it. {@code task} is null for an unknown task.
     */
    private FirstLook endFromRecord(UUID taskId) throws SQLException {
        return db.tx(c -> {
            Optional<TaskRecord> locked = store.findForUpdate(c, taskId);
            if (locked.isEmpty()) {
                return new FirstLook(null, true, null);
            }
            if (locked.get().phase().terminal()) {
                return new FirstLook(locked.get(), true, null);
            }
            Optional<TaskOutcome> recorded = ResultEffects.recorded(c, locked.get().ref());
            if (recorded.isPresent()) {
                // The sidecar's CANCELLED (after SIGTERM) ends the task as cancelled; any other status as done.
                store.markEnded(c, taskId, recorded.get());
            }
            return new FirstLook(locked.get(), false, recorded.orElse(null));
        });
    }

    private record FirstLook(TaskRecord task, boolean wasTerminal, TaskOutcome recorded) {
    }

    /**
     * How a task ended, for metrics and the log: what the sidecar recorded, or the worker's ending.
     * {@code failureTag}: the worker's {@link Failure#code()}, {@code recorded} for a failure the
     * sidecar recorded (its reason is in the result table), else {@code none}.
     */
    record Finished(TaskOutcome outcome, String failureTag, String reason) {
        static Finished recorded(TaskOutcome outcome) {
            return new Finished(outcome, outcome == TaskOutcome.FAILED ? "recorded" : "none", null);
        }

        static Finished by(Ending ending) {
            return new Finished(ending.outcome(), ending instanceof Failure f ? f.code() : "none", ending.describe());
        }

        @Override
        public String toString() {
            return reason == null ? outcome.name() : outcome + ": " + reason;
        }
    }

    /**
     * Ends a task by the worker's decision (init timeout, time exceeded, creation failed, pod gone,
     * cancelled). Returns true for the one caller that ended it.
     */
    public boolean end(UUID taskId, Ending ending) throws SQLException {
        return end(taskId, ending, (c, task) -> true);
    }

    /** Whether an end decided from outside the task row still holds, checked under the task's row lock. */
    @FunctionalInterface
    public interface StillHolds {
        boolean check(Connection c, TaskRecord locked) throws SQLException;
    }

    /**
     * {@link #end(UUID, Ending)} only if {@code stillHolds} for the open task while its row is locked
     * (e.g. "still queued and its launch job is gone": a launch committing meanwhile waits for the lock).
     */
    public boolean end(UUID taskId, Ending ending, StillHolds stillHolds) throws SQLException {
        Optional<Optional<Ended>> seen = db.tx(c -> {
            Optional<TaskRecord> locked = store.findForUpdate(c, taskId);
            if (locked.isEmpty()) {
                return Optional.empty();
            }
            if (locked.get().phase().terminal()) {
                return Optional.of(Optional.empty());
            }
            if (!stillHolds.check(c, locked.get())) {
                return Optional.<Optional<Ended>>empty();
            }
            // A task that was asked to stop and then lost its pod was cancelled, not lost.
            Ending e = locked.get().cancelRequestedAt() != null && ending.outcome() == TaskOutcome.POD_DISAPPEARED
                    ? new Ending.Cancelled() : ending;
            ResultEffects.failed(c, locked.get().ref(), e.status(), e.describe());
            store.markEnded(c, taskId, e.outcome());
            return Optional.of(Optional.of(new Ended(locked.get(), e)));
        });
        seen.ifPresent(x -> finished.add(taskId));
        Optional<Ended> ended = seen.flatMap(x -> x);
        ended.ifPresent(t -> {
            Finished f = Finished.by(t.ending());
            metrics.taskFinished(t.task().type().command(), f.outcome().name(), f.failureTag());
            LOG.infof("task %s ended: %s", t.task().label(), f);
        });
        return ended.isPresent();
    }

    private record Ended(TaskRecord task, Ending ending) {
    }

    /**
     * The pod is gone (deleted by someone, node lost) while its task had not ended here. What the
     * sidecar recorded before it went still stands; only without it is the pod reported lost.
     */
    public void podGone(UUID taskId, String podName) throws SQLException {
        lost(taskId, podName, new Failure.PodDisappeared());
    }

    /**
     * The pod has stayed Terminating past its grace period: its node is lost and will never confirm
     * the end. As with a vanished pod, what the sidecar recorded stands; otherwise the task ends as
     * {@code failure} says. Then the pod is force-deleted (grace 0), whoever ended the task.
     */
    public void podLost(UUID taskId, String podName, Failure.NodeLost failure) throws SQLException {
        LOG.warnf("pod %s is still Terminating %s after its grace period: its node is lost; force-deleting it",
                podName, Waits.words(failure.overdue()));
        lost(taskId, podName, failure);
    }

    private void lost(UUID taskId, String podName, Failure failure) throws SQLException {
        FirstLook look = endFromRecord(taskId);
        if (look.recorded() != null) {
            finished.add(taskId);
            Finished f = Finished.recorded(look.recorded());
            metrics.taskFinished(look.task().type().command(), f.outcome().name(), f.failureTag());
            LOG.infof("task %s ended: %s (its pod is gone)", look.task().label(), f);
        } else if (!look.wasTerminal()) {
            end(taskId, failure);
        } else if (look.task() != null) {
            finished.add(taskId);
        }
        removePod(podName, false);
    }

    /**
     * Asks for a task's pod and Secret to be deleted, if present (asynchronously). {@code graceful}:
     * the containers get the configured grace period (the sidecar records CANCELLED on SIGTERM);
     * otherwise the pod has ended anyway.
     */
    public void removePod(String podName, boolean graceful) {
        remover.remove(podName, graceful);
    }
}
