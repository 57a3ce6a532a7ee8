package io.syncctl.shared.task;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic JobRunr job ids. Enqueueing with an id that already exists is a no-op in JobRunr,
 * so deriving the id from the task makes every enqueue idempotent across api and worker replicas.
 */
public final class JobIds {
    private JobIds() {
    }

    public static UUID launch(UUID taskId) {
        return derive("launch", taskId);
    }

    public static UUID cancel(UUID taskId) {
        return derive("cancel", taskId);
    }

    /** A job id for any other step of a task, e.g. {@code derive("finalise", id)}. */
    public static UUID derive(String step, UUID taskId) {
        return UUID.nameUUIDFromBytes((step + ":" + taskId).getBytes(StandardCharsets.UTF_8));
    }

    /** The internal id of a read: derived from the client's taskId so sending the same /read twice is one task. */
    public static UUID readTask(String clientTaskId) {
        return UUID.nameUUIDFromBytes(("read:" + clientTaskId).getBytes(StandardCharsets.UTF_8));
    }
}
