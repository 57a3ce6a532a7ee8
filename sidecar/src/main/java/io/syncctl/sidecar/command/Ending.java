package io.syncctl.sidecar.command;

import java.time.Duration;

/** Why the sidecar stops watching the connector. */
public sealed interface Ending {

    /** Both pipes closed. {@code midMessage}: stdout ended inside a JSON message (the connector died writing it). */
    record EndOfOutput(boolean midMessage) implements Ending {
    }

    record IdleTimeout(Duration after) implements Ending {
    }

    /** SIGTERM after a {@code /cancel}: the worker deletes the pod once the cancel is recorded. */
    record Cancelled() implements Ending {
    }

    /**
     * The connector never opened its pipes within {@code START_TIMEOUT} (the worker's init timeout): its
     * container did not start (a start error, a missing shell) or died before running the connector.
     */
    record NotStarted(Duration after) implements Ending {
    }

    /**
     * SIGTERM that no {@code /cancel} asked for: Kubernetes stops the pod (eviction, node drain,
     * preemption). The task fails; it was not cancelled.
     */
    record Stopped() implements Ending {
        public static final String REASON = "stopped by Kubernetes (eviction, drain or preemption)";
    }

    /**
     * SIGTERM after the worker ended the task itself (init or task timeout) and deleted the pod: the end
     * the worker recorded stands, the sidecar writes none of its own.
     */
    record EndedByWorker() implements Ending {
    }

    /** The sidecar could not do its job at all (e.g. a pipe cannot be opened). */
    record Broken(String reason) implements Ending {
    }

    /** A sentence for task_log and result descriptions, or null for a normal end. */
    default String reason() {
        return switch (this) {
            case EndOfOutput e -> e.midMessage() ? "connector output ended in the middle of a message" : null;
            case IdleTimeout i -> "no message from the connector for " + human(i.after());
            case NotStarted n -> "the connector did not start within " + human(n.after()) + " (it never opened its output pipes)";
            case Cancelled c -> "cancelled";
            case Stopped s -> Stopped.REASON;
            case EndedByWorker w -> "the worker ended the task and stopped its pod";
            case Broken b -> b.reason();
        };
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
