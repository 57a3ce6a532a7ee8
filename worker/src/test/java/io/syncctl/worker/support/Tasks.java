package io.syncctl.worker.support;

import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Task records as the api stores them, for tests without a database. */
public final class Tasks {
    private Tasks() {
    }

    public static TaskRecord record(TaskType type) {
        Map<String, String> options = new LinkedHashMap<>();
        String syncId = null;
        String taskId = null;
        String key = null;
        UUID id = UUID.nameUUIDFromBytes(type.name().getBytes(StandardCharsets.UTF_8));
        if (type == TaskType.READ) {
            options.put("tableNamePrefix", "pg_");
            options.put("startedBy", "{\"user\":\"ann\"}");
            options.put("namespace", "analytics");
            options.put("toSameCase", "true");
            options.put("fullSync", "false");
            syncId = "sync-1";
            taskId = "run-2024-06-01";
            id = JobIds.readTask(taskId);
        } else if (type != TaskType.SPEC) {
            key = "conn-17";
        }
        return new TaskRecord(id, type, "airbyte/source-postgres", "3.6.2", key, syncId, taskId, options,
                TaskPhase.QUEUED, null, Instant.parse("2024-06-01T10:00:00.123Z"), null, null, null, null);
    }
}
