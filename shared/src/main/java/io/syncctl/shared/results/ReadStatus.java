package io.syncctl.shared.results;

/** The {@code source_task.status} values of CONTRACT section 2. Only {@link #RUNNING} is not terminal. */
public enum ReadStatus {
    RUNNING, SUCCESS, PARTIAL, FAILED, CANCELLED, TIME_EXCEEDED;

    public boolean terminal() {
        return this != RUNNING;
    }
}
