package io.syncctl.api.errors;

/**
 * A request we refuse, with the status and the message the client sees. The message must be safe
 * to show and to log: it names parameters, never echoes secret values. {@code reason} is the short
 * tag under which the rejection is counted in metrics.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String reason;
    /** Seconds for a Retry-After header; 0 = none. */
    private final int retryAfterSeconds;

    private ApiException(int status, String reason, String message) {
        this(status, reason, message, 0);
    }

    private ApiException(int status, String reason, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
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

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "unsupported_media_type", message);
    }

    /** 503 with Retry-After: the api is full for a moment, the same request will do later. */
    public static ApiException busy(String message, int retryAfterSeconds) {
        return new ApiException(503, "busy", message, retryAfterSeconds);
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
