package io.syncctl.shared.task;

/**
 * The human name of a task as the JobRunr dashboard and our logs show it, for example
 * {@code check airbyte/source-postgres:3.6.2 key=conn-17 task=5b0c...} or
 * {@code read airbyte/source-postgres:3.6.2 sync=sync-4 task=run-2024-06-01}.
 * Built only from validated, non-secret identifiers: the client's storageKey or syncId, and the
 * client's taskId for reads (what an operator searches for), else the internal id.
 *
 * <p>Those identifiers may be up to 1,024 characters; the label is a job's name and argument (stored
 * twice in every JobRunr job row) and starts log lines, so each is cut to its first
 * {@value #MAX_SHOWN} characters (the console's ~110-character check key fits whole). The internal id
 * stays the exact reference.
 */
public final class TaskLabel {
    static final int MAX_SHOWN = 128;

    private TaskLabel() {
    }

    public static String of(TaskRecord t) {
        StringBuilder sb = new StringBuilder(t.type().command()).append(' ').append(t.image());
        if (t.storageKey() != null) {
            sb.append(" key=").append(shown(t.storageKey()));
        }
        if (t.syncId() != null) {
            sb.append(" sync=").append(shown(t.syncId()));
        }
        sb.append(" task=").append(t.taskId() != null ? shown(t.taskId()) : t.id().toString());
        return sb.toString();
    }

    /** The value, or its first {@link #MAX_SHOWN} code points and an ellipsis. */
    static String shown(String value) {
        if (value.codePointCount(0, value.length()) <= MAX_SHOWN) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, MAX_SHOWN)) + "…";
    }
}
