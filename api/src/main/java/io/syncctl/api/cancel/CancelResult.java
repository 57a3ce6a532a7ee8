package io.syncctl.api.cancel;

/** The 200 answer of /cancel: {@code {"ok":true,"status":"ok","taskId":..,"phase":..,"message":..}}. */
public record CancelResult(boolean ok, String status, String taskId, String phase, String message) {
    static CancelResult of(String taskId, String phase, String message) {
        return new CancelResult(true, "ok", taskId, phase, message);
    }
}
