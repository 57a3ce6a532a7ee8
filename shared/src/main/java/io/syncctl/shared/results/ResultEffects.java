package io.syncctl.shared.results;

import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskType;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What each task type's events do to the result tables (CONTRACT section 2, "When rows change"),
 * written once: the api accepts and cancels through here, the worker ends a task nothing recorded and
 * asks what was recorded, the sidecar writes its answers and failures. {@link ResultTables} holds the
 * statements (and the races they close); this class chooses which statement an event of each type means.
 *
 * <p>One rule for time: "since this task was accepted" is {@link TaskRef#resultsSince()}, for what was
 * recorded and for a discover's failure never overwriting a newer success alike.
 *
 * <p>Every operation takes the caller's connection, so it joins the caller's transaction (the api's
 * group commit, the worker's row-locked ending).
 */
public final class ResultEffects {
    private ResultEffects() {
    }

    /**
     * Accepting a task: a read's {@code source_task} row RUNNING with {@code readDescription} (returns
     * false when a row with its taskId already exists); a check's previous result removed (pollers see
     * "no row" until the new one); a discover's catalog row RUNNING (an earlier catalog stays readable);
     * a spec nothing (a client's {@code 'pending'} placeholder stays until the result).
     */
    public static boolean accepted(Connection c, TaskRef task, String readDescription) throws SQLException {
        return acceptedAll(c, List.of(task), readDescription).isEmpty();
    }

    /**
     * {@link #accepted} for a batch (the api's group commit), in as few statements: one for all reads,
     * one (JDBC batch) for all checks, one per discover. Returns the taskIds of the reads whose row
     * already existed (written by another writer): those were not accepted here.
     */
    public static Set<String> acceptedAll(Connection c, List<TaskRef> tasks, String readDescription) throws SQLException {
        List<ResultTables.AcceptedRead> reads = new ArrayList<>();
        Set<String> checkKeys = new LinkedHashSet<>();
        for (TaskRef t : tasks) {
            switch (t.type()) {
                case READ -> reads.add(new ResultTables.AcceptedRead(t.syncId(), t.taskId(), t.pkg(), t.version(),
                        StartedBy.json(t.startedBy()), readDescription));
                case CHECK -> checkKeys.add(t.storageKey());
                case DISCOVER -> ResultTables.discoverAccepted(c, t.pkg(), t.version(), t.storageKey());
                case SPEC -> {
                    // no effect until it ends
                }
            }
        }
        ResultTables.checkAcceptedAll(c, checkKeys);
        Set<String> taken = new HashSet<>();
        if (!reads.isEmpty()) {
            Set<String> inserted = ResultTables.readAcceptedAll(c, reads);
            reads.stream().map(ResultTables.AcceptedRead::taskId).filter(id -> !inserted.contains(id)).forEach(taken::add);
        }
        return taken;
    }

    /**
     * The task's answer: a spec's spec object, a check's {@code SUCCESS} with the connector's message
     * ({@code ""} when it gave none), a discover's catalog, a read's {@code SUCCESS} with its description.
     * Returns whether it was written (false: a newer check superseded this one, or the read had ended).
     */
    public static boolean succeeded(Connection c, TaskRef t, String result) throws SQLException {
        return switch (t.type()) {
            case SPEC -> ResultTables.specSucceeded(c, t.pkg(), t.version(), result);
            case CHECK -> ResultTables.checkFinished(c, t.pkg(), t.version(), t.storageKey(), true, result, t.id());
            case DISCOVER -> ResultTables.discoverSucceeded(c, t.pkg(), t.version(), t.storageKey(), result);
            case READ -> ResultTables.readFinished(c, t.taskId(), ReadStatus.SUCCESS, result, null, null);
        };
    }

    /**
     * The task ended without a result, for {@code reason}: it failed, was cancelled or ran out of time.
     * A read ends with {@code status} ({@code FAILED}, {@code CANCELLED} or {@code TIME_EXCEEDED}),
     * the reason as its description and, unless cancelled, as its error, plus a task_log line, once: a
     * terminal read is left as it is (returns false). A spec, check or discover records a failure with
     * the reason whatever the status (a cancelled check reads as a failed one): a spec's never replaces
     * a good spec, a check's is not written over a newer check's, a discover's never overwrites a
     * success written since the task was accepted. Returns whether it was written.
     */
    public static boolean failed(Connection c, TaskRef t, ReadStatus status, String reason) throws SQLException {
        if (!status.terminal() || status == ReadStatus.SUCCESS || status == ReadStatus.PARTIAL) {
            throw new IllegalArgumentException("not an ending without a result: " + status);
        }
        return switch (t.type()) {
            case SPEC -> ResultTables.specFailed(c, t.pkg(), t.version(), reason);
            case CHECK -> ResultTables.checkFinished(c, t.pkg(), t.version(), t.storageKey(), false, reason, t.id());
            case DISCOVER -> ResultTables.discoverFailed(c, t.pkg(), t.version(), t.storageKey(), reason, t.resultsSince());
            case READ -> {
                boolean cancelled = status == ReadStatus.CANCELLED;
                boolean won = ResultTables.readFinished(c, t.taskId(), status, reason, cancelled ? null : reason, null);
                if (won) {
                    ResultTables.log(c, LogLine.ours(cancelled ? LogLine.Level.WARN : LogLine.Level.ERROR,
                            "task ended: " + reason, t.syncId(), t.taskId()));
                }
                yield won;
            }
        };
    }

    /**
     * {@code /cancel} of a task that is running: a read turns {@code CANCELLED} at once (the console
     * shows it; the sidecar, stopped after, may still add the streams' figures). Spec, check and
     * discover change nothing yet: their result is written when the stopped pod ends. Returns whether
     * a row changed.
     */
    public static boolean cancelRequested(Connection c, TaskRef t, String reason) throws SQLException {
        return t.type() == TaskType.READ && failed(c, t, ReadStatus.CANCELLED, reason);
    }

    /**
     * How the task ended as its result tables say, or empty if they say nothing yet: a read's terminal
     * status; the spec, check or discover result written since the task was accepted. Asked once the
     * pod has ended, when the sidecar can no longer write.
     */
    public static Optional<TaskOutcome> recorded(Connection c, TaskRef t) throws SQLException {
        Optional<String> status = switch (t.type()) {
            case SPEC -> ResultTables.specStatusSince(c, t.pkg(), t.version(), t.resultsSince());
            case CHECK -> ResultTables.checkStatusSince(c, t.storageKey(), t.resultsSince());
            case DISCOVER -> ResultTables.discoverStatusSince(c, t.pkg(), t.version(), t.storageKey(), t.resultsSince());
            case READ -> ResultTables.readEndStatus(c, t.taskId());
        };
        return status.map(TaskOutcome::ofRecordedStatus);
    }
}
