package io.syncctl.worker.finalise;

import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.monitor.PodVerdict;

import java.util.function.Function;

/**
 * Says in words why a pod that left no result failed (DESIGN principle 4), from the container exits
 * and, where a container failed, the last lines of its log. Pure apart from the log function.
 */
public final class EndingDescriber {
    private EndingDescriber() {
    }

    /** @param logTail container name -> its last lines, or "" when none can be had */
    public static String describe(TaskType type, PodVerdict.Ended e, Function<String, String> logTail) {
        if ("Evicted".equals(e.podReason())) {
            return "the pod was evicted" + suffix(e.podMessage());
        }
        if ("DeadlineExceeded".equals(e.podReason())) {
            return "the pod exceeded its deadline (DeadlineExceeded)" + suffix(e.podMessage());
        }
        String oom = oomKilled(e);
        if (oom != null) {
            return "the " + oom + " container ran out of memory (OOMKilled)";
        }
        if (e.init() != null && !e.init().ok()) {
            return "the init container failed with exit code " + e.init().code() + lines(logTail.apply(TaskPodBuilder.INIT));
        }
        if (e.source() != null && !e.source().ok()) {
            String tail = logTail.apply(TaskPodBuilder.SOURCE);
            if (tail.isBlank()) {
                // The connector's stderr goes through the sidecar, which echoes it to its own log.
                tail = logTail.apply(TaskPodBuilder.SIDECAR);
            }
            return "the connector exited with code " + e.source().code() + lines(tail);
        }
        if (e.sidecar() != null && !e.sidecar().ok()) {
            return "the sidecar crashed with exit code " + e.sidecar().code() + lines(logTail.apply(TaskPodBuilder.SIDECAR));
        }
        if (e.source() == null || e.sidecar() == null) {
            return "the pod failed before its containers ran"
                    + (e.podReason() == null ? "" : " (" + e.podReason() + suffix(e.podMessage()) + ")");
        }
        return type == TaskType.READ
                ? "the sidecar ended without recording a status"
                : "the connector ended without a result" + lines(logTail.apply(TaskPodBuilder.SIDECAR));
    }

    private static String oomKilled(PodVerdict.Ended e) {
        if (e.source() != null && "OOMKilled".equals(e.source().reason())) {
            return "connector";
        }
        if (e.sidecar() != null && "OOMKilled".equals(e.sidecar().reason())) {
            return "sidecar";
        }
        if (e.init() != null && "OOMKilled".equals(e.init().reason())) {
            return "init";
        }
        return null;
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }

    private static String lines(String tail) {
        return tail == null || tail.isBlank() ? "" : "; last lines:\n" + tail.strip();
    }
}
