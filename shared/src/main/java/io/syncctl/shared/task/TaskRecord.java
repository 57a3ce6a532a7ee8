package io.syncctl.shared.task;

import io.syncctl.shared.results.TaskRef;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of {@code syncctl_task}, without the encrypted payload (load that with
 * {@link TaskStore#payload}). Everything here is safe to log and to show an operator.
 *
 * @param id          internal id; job ids derive from it ({@link JobIds})
 * @param storageKey  check/discover: the client's storageKey, else null
 * @param syncId      read: the client's syncId, else null
 * @param taskId      read: the client's taskId, else null
 * @param options     read options as sent (tableNamePrefix, namespace, toSameCase, addMeta,
 *                    deduplicate, fullSync, debug, startedBy), in a stable order; empty otherwise
 * @param outcome     how it ended, once it has; null before
 */
public record TaskRecord(UUID id, TaskType type, String pkg, String version, String storageKey, String syncId,
                         String taskId, Map<String, String> options, TaskPhase phase, String podName,
                         Instant acceptedAt, Instant launchedAt, Instant finishedAt, TaskOutcome outcome,
                         Instant cancelRequestedAt) {

    public TaskRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(version, "version");
        options = options == null ? Map.of() : options;
        phase = phase == null ? TaskPhase.QUEUED : phase;
    }

    /** A newly accepted task, before it is stored (timestamps come from the database). */
    public static TaskRecord accepted(UUID id, TaskType type, String pkg, String version, String storageKey,
                                      String syncId, String taskId, Map<String, String> options) {
        return new TaskRecord(id, type, pkg, version, storageKey, syncId, taskId, options, TaskPhase.QUEUED,
                null, null, null, null, null, null);
    }

    /** This task as the result tables need it ({@link io.syncctl.shared.results.ResultEffects}). */
    public TaskRef ref() {
        return new TaskRef(id, type, pkg, version, storageKey, syncId, taskId, options.get("startedBy"), acceptedAt);
    }

    /** The image the source container runs. */
    public String image() {
        return pkg + ":" + version;
    }

    /** The operator-facing name of the task (job names, logs); see {@link TaskLabel}. */
    public String label() {
        return TaskLabel.of(this);
    }
}
