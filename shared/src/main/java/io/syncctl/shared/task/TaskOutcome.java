package io.syncctl.shared.task;

import java.util.Locale;

/**
 * How a task ended, as {@code syncctl_task.outcome} keeps it: a closed set of short codes for
 * operators, queries and metrics. The words a user reads are in the result tables; why the worker
 * failed a task (out of memory, image pull, ...) is the worker's {@code Failure}.
 */
public enum TaskOutcome {
    /** The result the sidecar (or connector) recorded: the task did what it was asked. */
    SUCCESS,
    /** A read where some streams succeeded and some failed. */
    PARTIAL,
    /** Recorded as failed by the sidecar, or failed by the worker for a reason found in the pod. */
    FAILED,
    /** Cancelled on request, before or while it ran. */
    CANCELLED,
    /** Ran longer than SYNCCTL_TASK_TIMEOUT_HOURS and was stopped. */
    TIME_EXCEEDED,
    /** Its pod could not be created. */
    CREATE_FAILED,
    /** Its pod did not start within SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS of being scheduled. */
    INIT_TIMEOUT,
    /** Its pod waited for room in the cluster (unscheduled) longer than SYNCCTL_SCHEDULE_TIMEOUT. */
    SCHEDULE_TIMEOUT,
    /** Its pod vanished, or stayed Terminating on a lost node, before anything recorded the end. */
    POD_DISAPPEARED,
    /** A read left RUNNING with no pod and no update for an hour, closed by the stale-read check. */
    STALE;

    /** The phase a task ends in with this outcome. */
    public TaskPhase phase() {
        return this == CANCELLED ? TaskPhase.CANCELLED : TaskPhase.DONE;
    }

    /**
     * A stored value. Rows written before the codes were a closed set may hold a reason in words
     * ({@code cancelled before it started}): those read as the code they meant.
     */
    public static TaskOutcome of(String stored) {
        if (stored == null) {
            return null;
        }
        try {
            return valueOf(stored.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return stored.toLowerCase(Locale.ROOT).startsWith("cancel") ? CANCELLED : FAILED;
        }
    }

    /**
     * The outcome a status recorded in a result table stands for: {@code source_task.status}
     * (SUCCESS, PARTIAL, FAILED, CANCELLED, TIME_EXCEEDED) or a check/discover/spec status.
     */
    public static TaskOutcome ofRecordedStatus(String status) {
        return switch (status) {
            case "SUCCESS" -> SUCCESS;
            case "PARTIAL" -> PARTIAL;
            case "CANCELLED" -> CANCELLED;
            case "TIME_EXCEEDED" -> TIME_EXCEEDED;
            default -> FAILED;
        };
    }
}
