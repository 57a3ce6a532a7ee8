package io.syncctl.shared.results;

import io.syncctl.shared.task.TaskType;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What the result tables need to know of a task. The api and the worker make it from the task row
 * ({@code TaskRecord.ref()}), the sidecar from its environment ({@code SidecarSettings.ref()}), so
 * every writer hands {@link ResultEffects} the same values.
 *
 * @param id         the internal id ({@code syncctl_task.id}); null where it is not known (a sidecar run
 *                   by hand, a read no task of ours wrote)
 * @param storageKey check/discover: the client's storageKey, else null
 * @param syncId     read: the client's syncId, else null
 * @param taskId     read: the client's taskId, else null
 * @param startedBy  read: the {@code startedBy} parameter as the client sent it (JSON or text), or null
 * @param acceptedAt when the task was accepted ({@code syncctl_task.accepted_at}, the sidecar's
 *                   {@code STARTED_AT}); null before the task is stored
 */
public record TaskRef(UUID id, TaskType type, String pkg, String version, String storageKey, String syncId,
                      String taskId, String startedBy, Instant acceptedAt) {

    public TaskRef {
        Objects.requireNonNull(type, "type");
    }

    /** A read known only by the client's ids: a {@code source_task} row that no task of ours wrote, or whose task is gone. */
    public static TaskRef read(String syncId, String taskId) {
        return new TaskRef(null, TaskType.READ, null, null, null, syncId, taskId, null, null);
    }

    /**
     * The earliest result-table timestamp that can belong to this task (the one rule for "since this
     * task was accepted"). Result timestamps are {@code TIMESTAMPTZ(3)}, rounded to the millisecond,
     * while {@code acceptedAt} has microseconds: a row written in the same millisecond can be stored
     * up to half a millisecond before it.
     */
    public Instant resultsSince() {
        return Objects.requireNonNull(acceptedAt, "acceptedAt").minusMillis(1);
    }
}
