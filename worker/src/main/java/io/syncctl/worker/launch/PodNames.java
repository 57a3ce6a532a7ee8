package io.syncctl.worker.launch;

import io.syncctl.shared.task.TaskRecord;

/**
 * Names of a task's pod and Secret. The internal task id is a UUID (for reads derived from the
 * client's taskId), so {@code syncctl-<type>-<uuid>} is deterministic, distinct per task and a valid
 * DNS-1123 label of at most 63 characters (the longest, {@code syncctl-discover-<uuid>}, has 53).
 */
public final class PodNames {
    private PodNames() {
    }

    public static String pod(TaskRecord task) {
        return "syncctl-" + task.type().command() + "-" + task.id();
    }

    public static String secret(String podName) {
        return podName + "-config";
    }
}
