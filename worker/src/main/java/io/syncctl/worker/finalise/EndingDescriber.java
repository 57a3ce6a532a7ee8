package io.syncctl.worker.finalise;

import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.monitor.PodVerdict;

import java.util.function.Function;

/**
 * Tells why a pod that left no result failed (DESIGN principle 4), from the container exits and,
 * where a container failed, the last lines of its log. Pure apart from the log function, which is
 * only asked for the container whose lines the failure shows.
 */
public final class EndingDescriber {
    private EndingDescriber() {
    }

    /** @param logTail container name -> its last lines, or "" when none can be had */
    public static Failure failure(TaskType type, PodVerdict.Ended e, Function<String, String> logTail) {
        if ("Evicted".equals(e.podReason())) {
            return new Failure.Evicted(e.podMessage());
        }
        if ("DeadlineExceeded".equals(e.podReason())) {
            return new Failure.DeadlineExceeded(e.podMessage());
        }
        String oom = oomKilled(e);
        if (oom != null) {
            return new Failure.OutOfMemory(oom);
        }
        if (e.init() != null && !e.init().ok()) {
            return new Failure.InitFailed(e.init().code(), logTail.apply(TaskPodBuilder.INIT));
        }
        if (e.source() != null && !e.source().ok()) {
            String tail = logTail.apply(TaskPodBuilder.SOURCE);
            if (tail.isBlank()) {
                // The connector's stderr goes through the sidecar, which echoes it to its own log.
                tail = logTail.apply(TaskPodBuilder.SIDECAR);
            }
            return new Failure.ConnectorExit(e.source().code(), tail);
        }
        if (e.sidecar() != null && !e.sidecar().ok()) {
            return new Failure.SidecarCrash(e.sidecar().code(), logTail.apply(TaskPodBuilder.SIDECAR));
        }
        if (e.source() == null || e.sidecar() == null) {
            return new Failure.NeverRan(e.podReason(), e.podMessage());
        }
        return new Failure.NoResult(type, type == TaskType.READ ? "" : logTail.apply(TaskPodBuilder.SIDECAR));
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
}
