package io.syncctl.worker.logging;

import io.syncctl.shared.task.TaskRecord;
import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task a log line is about, in the logging MDC: {@code taskId} (the client's taskId for a read,
 * else the internal id), {@code syncId} (reads) and {@code taskType}. With {@code SYNCCTL_LOG_FORMAT=json}
 * they are fields of the line's JSON object ({@code mdc}); the text format does not print them (its
 * lines name the task already). Closing puts back what was there before, so nested scopes (the
 * finaliser called from a launch) leave the outer task in place.
 */
public final class TaskMdc implements AutoCloseable {
    public static final String TASK_ID = "taskId";
    public static final String SYNC_ID = "syncId";
    public static final String TASK_TYPE = "taskType";

    private final Map<String, Object> previous = new LinkedHashMap<>();

    private TaskMdc(TaskRecord task) {
        set(TASK_ID, task.taskId() != null ? task.taskId() : task.id().toString());
        set(SYNC_ID, task.syncId());
        set(TASK_TYPE, task.type().command());
    }

    public static TaskMdc of(TaskRecord task) {
        return new TaskMdc(task);
    }

    private void set(String key, String value) {
        previous.put(key, value == null ? MDC.get(key) : MDC.put(key, value));
        if (value == null) {
            MDC.remove(key);
        }
    }

    @Override
    public void close() {
        previous.forEach((key, old) -> {
            if (old == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, old);
            }
        });
    }
}
