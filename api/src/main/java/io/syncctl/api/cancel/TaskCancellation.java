package io.syncctl.api.cancel;

import io.syncctl.api.db.Transactions;
import io.syncctl.api.jobs.JobQueue;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.TaskRef;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /cancel} (CONTRACT section 1). The task row is locked for the decision, so it cannot race
 * with a worker's {@code markLaunched} (which is conditional on QUEUED):
 * <ul>
 *   <li>QUEUED: cancelled here and now, in one transaction: phase CANCELLED, payload erased, the
 *       result table says so (read: {@code source_task} CANCELLED; discover/check/spec: FAILED with
 *       "cancelled"), and the launch job is deleted.</li>
 *   <li>LAUNCHED: a cancel job ({@code JobIds.cancel(id)}) for the worker, once. A read's
 *       {@code source_task} row turns CANCELLED in the same transaction, so the console shows it at
 *       once; the worker stops the pod after (and its sidecar may still add the streams' figures).</li>
 *   <li>already finished: nothing to do, answered 200 with the phase.</li>
 * </ul>
 * The task is found by the client's taskId of a read (and must belong to the given syncId), or by
 * the internal id a /check, /discover or /spec answer returned. A task we do not know is answered
 * 200 as the Go controller does (the console cancels tasks it ran itself too); like Go, a RUNNING
 * {@code source_task} row of that taskId and sync, which no pod of ours can end, is marked CANCELLED.
 */
@ApplicationScoped
public class TaskCancellation {
    static final String CANCELLED_BEFORE_START = "cancelled before it started";
    static final String CANCELLED_ON_REQUEST = "cancelled on request";

    private final Transactions transactions;
    private final TaskStore store;
    private final JobQueue jobs;

    public TaskCancellation(Transactions transactions, TaskStore store, JobQueue jobs) {
        this.transactions = transactions;
        this.store = store;
        this.jobs = jobs;
    }

    public CancelResult cancel(String taskId, String syncId) {
        return transactions.inTransactionOr503("cancel of task " + taskId, c -> {
            Optional<TaskRecord> found = find(c, taskId, syncId);
            if (found.isEmpty()) {
                return cancelUnknown(c, taskId, syncId);
            }
            TaskRecord task = found.get();
            return switch (task.phase()) {
                case QUEUED -> {
                    cancelQueued(c, task);
                    yield CancelResult.of(taskId, "CANCELLED", "task cancelled before it started");
                }
                case LAUNCHED -> {
                    boolean first = store.requestCancel(c, task.id());
                    if (first) {
                        jobs.enqueueCancel(task);
                    }
                    ResultEffects.cancelRequested(c, task.ref(), CANCELLED_ON_REQUEST);
                    yield CancelResult.of(taskId, "LAUNCHED", first ? "cancellation queued for the worker"
                            : "cancellation was already requested");
                }
                case DONE, CANCELLED -> CancelResult.of(taskId, task.phase().name(),
                        "task already finished" + (task.outcome() == null ? "" : ": " + task.outcome()));
            };
        });
    }

    private static CancelResult cancelUnknown(Connection c, String taskId, String syncId) throws SQLException {
        boolean marked = runningRowOf(c, taskId, syncId)
                && ResultEffects.cancelRequested(c, TaskRef.read(syncId, taskId), CANCELLED_ON_REQUEST);
        return CancelResult.of(taskId, null, marked
                ? "no task of ours has this taskId; its RUNNING source_task row was marked CANCELLED"
                : "no task of ours has this taskId for this syncId; nothing to cancel");
    }

    private static boolean runningRowOf(Connection c, String taskId, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM source_task WHERE task_id = ? AND sync_id = ? AND status = 'RUNNING'")) {
            ps.setString(1, taskId);
            ps.setString(2, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Optional<TaskRecord> find(Connection c, String taskId, String syncId) throws SQLException {
        Optional<TaskRecord> read = store.findForUpdate(c, JobIds.readTask(taskId));
        if (read.isPresent()) {
            return read.filter(t -> syncId.equals(t.syncId()));
        }
        UUID internal = parseUuid(taskId);
        return internal == null ? Optional.empty()
                : store.findForUpdate(c, internal).filter(t -> t.type() != TaskType.READ);
    }

    private void cancelQueued(Connection c, TaskRecord task) throws SQLException {
        store.markEnded(c, task.id(), TaskOutcome.CANCELLED);
        ResultEffects.failed(c, task.ref(), ReadStatus.CANCELLED, CANCELLED_BEFORE_START);
        jobs.deleteLaunch(task.id());
    }

    private static UUID parseUuid(String s) {
        try {
            return s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
