package io.syncctl.worker.finalise;

import io.syncctl.shared.results.ReadStatus;

/**
 * How a task ended, as the worker records it: {@code code} goes to {@code syncctl_task.outcome} and
 * the metrics, {@code status} to {@code source_task.status} of a read, {@code reason} to the
 * description clients read. Failures say why in words a user can act on (DESIGN principle 4).
 */
public record Outcome(String code, ReadStatus status, String reason) {
    public static final String CREATE_FAILED = "CREATE_FAILED";
    public static final String INIT_TIMEOUT = "INIT_TIMEOUT";
    public static final String TIME_EXCEEDED = "TIME_EXCEEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
    public static final String POD_DISAPPEARED = "POD_DISAPPEARED";
    public static final String STALE = "STALE";

    public static Outcome createFailed(String reason) {
        return new Outcome(CREATE_FAILED, ReadStatus.FAILED, "the task's pod could not be created: " + reason);
    }

    public static Outcome initTimeout(int seconds, String why) {
        return new Outcome(INIT_TIMEOUT, ReadStatus.FAILED, "the pod did not start within " + seconds + " s: " + why);
    }

    public static Outcome timeExceeded(int hours) {
        return new Outcome(TIME_EXCEEDED, ReadStatus.TIME_EXCEEDED, "the task ran longer than " + hours + " h and was stopped");
    }

    public static Outcome failed(String reason) {
        return new Outcome(FAILED, ReadStatus.FAILED, reason);
    }

    public static Outcome cancelled() {
        return new Outcome(CANCELLED, ReadStatus.CANCELLED, "cancelled on request");
    }

    public static Outcome podDisappeared() {
        return new Outcome(POD_DISAPPEARED, ReadStatus.FAILED,
                "pod disappeared: it was deleted or its node was lost before the task finished");
    }
}
