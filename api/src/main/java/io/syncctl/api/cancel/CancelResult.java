package io.syncctl.api.cancel;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The 200 answer of /cancel: {@code {"ok":true,"status":"ok","taskId":..,"phase":..,"message":..}};
 * no phase for a task we do not know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelResult(boolean ok, String status, String taskId, String phase, String message) {
    static CancelResult of(String taskId, String phase, String message) {
        return new CancelResult(true, "ok", taskId, phase, message);
    }
}
