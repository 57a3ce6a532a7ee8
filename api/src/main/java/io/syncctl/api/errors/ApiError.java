package io.syncctl.api.errors;

/** The body of every answer that is not a success: {@code {"ok":false,"error":"..."}}. */
public record ApiError(boolean ok, String error) {
    public static ApiError of(String message) {
        return new ApiError(false, message);
    }
}
