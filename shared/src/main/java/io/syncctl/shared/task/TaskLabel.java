package io.syncctl.shared.task;

/**
 * The human name of a task as the JobRunr dashboard and our logs show it, for example
 * {@code check airbyte/source-postgres:3.6.2 key=conn-17 task=5b0c...} or
 * {@code read airbyte/source-postgres:3.6.2 sync=sync-4 task=run-2024-06-01}.
 * Built only from validated, non-secret identifiers: the client's storageKey or syncId, and the
 * client's taskId for reads (what an operator searches for), else the internal id.
 */
public final class TaskLabel {
    private TaskLabel() {
    }

    public static String of(TaskRecord t) {
        StringBuilder sb = new StringBuilder(t.type().command()).append(' ').append(t.image());
        if (t.storageKey() != null) {
            sb.append(" key=").append(t.storageKey());
        }
        if (t.syncId() != null) {
            sb.append(" sync=").append(t.syncId());
        }
        sb.append(" task=").append(t.taskId() != null ? t.taskId() : t.id().toString());
        return sb.toString();
    }
}
