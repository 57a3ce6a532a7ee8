package io.syncctl.api.intake;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The 200 answer: {@code {"ok":true,"status":"ok","taskId":...}}. {@code taskId} is the client's
 * taskId for reads and the internal task id otherwise (usable with /cancel); {@code startedAt}
 * (unix seconds) only for spec; {@code message} says when nothing new was created.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(boolean ok, String status, String taskId, Long startedAt, String message) {
    public static Accepted of(String taskId) {
        return new Accepted(true, "ok", taskId, null, null);
    }

    public Accepted withStartedAt(long unixSeconds) {
        return new Accepted(ok, status, taskId, unixSeconds, message);
    }

    public Accepted withMessage(String m) {
        return new Accepted(ok, status, taskId, startedAt, m);
    }
}
