package io.syncctl.api.errors;

/**
 * A request we refuse, with the status and the message the client sees. The message must be safe
 * to show and to log: it names parameters, never echoes secret values. {@code reason} is the short
 * tag under which the rejection is counted in metrics.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String reason;

    private ApiException(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "too_large", message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
