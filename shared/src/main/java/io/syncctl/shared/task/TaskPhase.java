package io.syncctl.shared.task;

/**
 * Where a task is in syncctl's own life cycle ({@code syncctl_task.phase}), independent of the
 * result-table status clients see: {@code QUEUED -> LAUNCHED -> DONE}, or {@code CANCELLED} from
 * either of the first two. Transitions are conditional updates in {@link TaskStore}.
 */
public enum TaskPhase {
    /** Accepted; the launch job has not created the pod yet. /cancel ends it at once. */
    QUEUED,
    /** The pod exists (or is being created); cancelling needs the worker. */
    LAUNCHED,
    DONE,
    CANCELLED;

    public boolean terminal() {
        return this == DONE || this == CANCELLED;
    }
}
