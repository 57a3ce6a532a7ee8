package io.syncctl.worker.finalise;

import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.monitor.PodVerdict;
import io.syncctl.worker.room.Waits;

import java.time.Duration;

/**
 * Why the worker failed a task: a closed set of kinds, each with a short {@link #code()} (the
 * {@code failure} tag of {@code syncctl_tasks_finished_total}, so OOMs can be counted) and the words
 * the result tables show ({@link #describe()}).
 */
public sealed interface Failure extends Ending {

    /** A short, stable name of the kind, e.g. {@code out_of_memory}; a bounded set (metric tag). */
    String code();

    @Override
    default TaskOutcome outcome() {
        return TaskOutcome.FAILED;
    }

    @Override
    default ReadStatus status() {
        return ReadStatus.FAILED;
    }

    // ---- the pod never got a node (SYNCCTL_SCHEDULE_TIMEOUT) ----

    /**
     * The pod waited for room in the cluster (unscheduled: the cluster full, or nothing fits) longer
     * than its bound. Waiting for room is not a failure to start, so it has a bound of its own.
     */
    record ScheduleTimeout(Duration limit, PodVerdict.Holdup holdup) implements Failure {
        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.SCHEDULE_TIMEOUT;
        }

        @Override
        public String code() {
            return "schedule_timeout";
        }

        @Override
        public String describe() {
            return "the pod found no room in the cluster within " + Waits.words(limit) + ": " + holdup.describe();
        }
    }

    // ---- the pod never started once scheduled (SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS) ----

    /**
     * The pod did not start in time once it had a node. {@code initTail}: the last lines of a still busy
     * init container, or "". The kinds below differ only in what held the pod up.
     */
    sealed interface NotStarted extends Failure {
        int seconds();

        PodVerdict.Holdup holdup();

        String initTail();

        @Override
        default TaskOutcome outcome() {
            return TaskOutcome.INIT_TIMEOUT;
        }

        @Override
        default String describe() {
            return "the pod did not start within " + seconds() + " s: " + holdup().describe()
                    + (initTail().isBlank() ? "" : "; its last lines:\n" + initTail().strip());
        }

        /** The failure for a pod held up by {@code holdup} past the limit. */
        static NotStarted of(int seconds, PodVerdict.Holdup holdup, String initTail) {
            String tail = initTail == null ? "" : initTail;
            return switch (holdup) {
                case PodVerdict.Holdup.ImagePull pull -> new ImagePull(seconds, pull, tail);
                // Not reached from the monitor: an unscheduled pod is bounded by the schedule timeout.
                case PodVerdict.Holdup.Unschedulable u -> new InitTimeout(seconds, new PodVerdict.Holdup.Waiting(u.describe()), tail);
                case PodVerdict.Holdup.Waiting w -> new InitTimeout(seconds, w, tail);
            };
        }
    }

    record ImagePull(int seconds, PodVerdict.Holdup.ImagePull holdup, String initTail) implements NotStarted {
        @Override
        public String code() {
            return "image_pull";
        }
    }

    record InitTimeout(int seconds, PodVerdict.Holdup.Waiting holdup, String initTail) implements NotStarted {
        @Override
        public String code() {
            return "init_timeout";
        }
    }

    // ---- the pod ended without a recorded result ({@link EndingDescriber}) ----

    /** {@code container}: {@code connector}, {@code sidecar} or {@code init}. */
    record OutOfMemory(String container) implements Failure {
        @Override
        public String code() {
            return "out_of_memory";
        }

        @Override
        public String describe() {
            return "the " + container + " container ran out of memory (OOMKilled)";
        }
    }

    record Evicted(String message) implements Failure {
        @Override
        public String code() {
            return "evicted";
        }

        @Override
        public String describe() {
            return "the pod was evicted" + suffix(message);
        }
    }

    record DeadlineExceeded(String message) implements Failure {
        @Override
        public String code() {
            return "deadline";
        }

        @Override
        public String describe() {
            return "the pod exceeded its deadline (DeadlineExceeded)" + suffix(message);
        }
    }

    /** {@code tail}: the init container's last lines, or "". */
    record InitFailed(int exitCode, String tail) implements Failure {
        @Override
        public String code() {
            return "init_failed";
        }

        @Override
        public String describe() {
            return "the init container failed with exit code " + exitCode + lines(tail);
        }
    }

    /** {@code tail}: the connector's last lines (as the sidecar echoed them when the source container has none), or "". */
    record ConnectorExit(int exitCode, String tail) implements Failure {
        @Override
        public String code() {
            return "connector_exit";
        }

        @Override
        public String describe() {
            return "the connector exited with code " + exitCode + lines(tail);
        }
    }

    record SidecarCrash(int exitCode, String tail) implements Failure {
        @Override
        public String code() {
            return "sidecar_crash";
        }

        @Override
        public String describe() {
            return "the sidecar crashed with exit code " + exitCode + lines(tail);
        }
    }

    /** Failed as a whole before its containers ran; {@code reason}/{@code message} as Kubernetes gave them, or null. */
    record NeverRan(String reason, String message) implements Failure {
        @Override
        public String code() {
            return "never_ran";
        }

        @Override
        public String describe() {
            return "the pod failed before its containers ran" + (reason == null ? "" : " (" + reason + suffix(message) + ")");
        }
    }

    /** Every container exited 0 and nothing was recorded. {@code tail}: the sidecar's last lines (not shown for reads). */
    record NoResult(TaskType type, String tail) implements Failure {
        @Override
        public String code() {
            return "no_result";
        }

        @Override
        public String describe() {
            return type == TaskType.READ
                    ? "the sidecar ended without recording a status"
                    : "the connector ended without a result" + lines(tail);
        }
    }

    // ---- the worker's own decisions ----

    record PodDisappeared() implements Failure {
        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.POD_DISAPPEARED;
        }

        @Override
        public String code() {
            return "pod_disappeared";
        }

        @Override
        public String describe() {
            return "pod disappeared: it was deleted or its node was lost before the task finished";
        }
    }

    /**
     * The pod stayed Terminating {@code overdue} past the end of its grace period: its node no longer
     * answers (lost, partitioned), so nothing will ever confirm its end. It is force-deleted.
     */
    record NodeLost(Duration overdue) implements Failure {
        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.POD_DISAPPEARED;
        }

        @Override
        public String code() {
            return "node_lost";
        }

        @Override
        public String describe() {
            return "pod disappeared: its node was lost (the pod was still Terminating " + Waits.words(overdue)
                    + " after its grace period ended) before the task finished; the pod was force-deleted";
        }
    }

    record TimeExceeded(int hours) implements Failure {
        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.TIME_EXCEEDED;
        }

        @Override
        public ReadStatus status() {
            return ReadStatus.TIME_EXCEEDED;
        }

        @Override
        public String code() {
            return "time_exceeded";
        }

        @Override
        public String describe() {
            return "the task ran longer than " + hours + " h and was stopped";
        }
    }

    /**
     * The pod or its Secret could not be created. {@code apiError}: the Kubernetes API's answer, or
     * null when the cause was ours (configuration missing, a name taken by another object).
     */
    record CreateFailed(String reason, ApiError apiError) implements Failure {
        public static CreateFailed of(ApiError error) {
            return new CreateFailed(error.toString(), error);
        }

        public static CreateFailed gaveUp(long seconds, ApiError lastError) {
            return new CreateFailed("gave up after " + seconds + " s of retrying; last error: " + lastError, lastError);
        }

        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.CREATE_FAILED;
        }

        @Override
        public String code() {
            return "create_failed";
        }

        @Override
        public String describe() {
            return "the task's pod could not be created: " + reason;
        }
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    private static String lines(String tail) {
        return tail == null || tail.isBlank() ? "" : "; last lines:\n" + tail.strip();
    }
}
