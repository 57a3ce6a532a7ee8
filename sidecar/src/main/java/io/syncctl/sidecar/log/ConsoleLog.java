package io.syncctl.sidecar.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.shared.config.LogFormat;
import io.syncctl.shared.sidecar.SidecarSettings;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sidecar's own lines on stderr (the pod log), for what cannot go to {@code task_log}: bad
 * settings, a failing result connection. {@code SYNCCTL_LOG_FORMAT=json} (the worker passes its own
 * setting to the sidecar container) makes each one JSON object with the fields of Quarkus' JSON
 * lines ({@code timestamp}, {@code level}, {@code loggerName}, {@code message}, {@code mdc} with
 * {@code taskId}, {@code syncId}, {@code taskType}); otherwise {@code [sidecar] message}.
 * One task per process, so the format and the task are set once, at start.
 */
public final class ConsoleLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile LogFormat format = LogFormat.TEXT;
    private static volatile Map<String, String> task = Map.of();

    private ConsoleLog() {
    }

    /** Reads {@code SYNCCTL_LOG_FORMAT}; an unknown value keeps text (the worker checked it already). */
    public static void configure(Map<String, String> env) {
        try {
            format = LogFormat.parse(env.get(LogFormat.SETTING));
        } catch (IllegalArgumentException e) {
            format = LogFormat.TEXT;
        }
    }

    /** The task the following lines are about. */
    public static void task(SidecarSettings settings) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (settings.taskId() != null) {
            fields.put("taskId", settings.taskId());
        }
        if (settings.syncId() != null) {
            fields.put("syncId", settings.syncId());
        }
        fields.put("taskType", settings.command().command());
        task = Map.copyOf(fields);
    }

    /** Writes one line to stderr; {@code message} must already be masked. */
    public static void error(String message) {
        System.err.println(format(format, task, Instant.now(), "ERROR", message));
    }

    static String format(LogFormat format, Map<String, String> task, Instant at, String level, String message) {
        if (format == LogFormat.TEXT) {
            return "[sidecar] " + message;
        }
        ObjectNode line = JSON.createObjectNode()
                .put("timestamp", at.toString())
                .put("level", level)
                .put("loggerName", "sidecar")
                .put("message", message);
        if (!task.isEmpty()) {
            ObjectNode mdc = line.putObject("mdc");
            task.forEach(mdc::put);
        }
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
