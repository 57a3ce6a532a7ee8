package io.syncctl.shared.results;

import java.time.Instant;

/** One {@code task_log} row. {@code logger} is the connector package for connector lines, {@code syncctl} for ours. */
public record LogLine(Level level, String logger, String message, String syncId, String taskId, Instant timestamp) {
    public static final String OURS = "syncctl";

    public enum Level { DEBUG, INFO, WARN, ERROR }

    public static LogLine ours(Level level, String message, String syncId, String taskId) {
        return new LogLine(level, OURS, message, syncId, taskId, Instant.now());
    }
}
