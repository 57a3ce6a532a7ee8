package io.syncctl.worker.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.net.HttpURLConnection;

/**
 * A Kubernetes API failure, classified: worth retrying (server errors, throttling, timeouts, refused
 * connections) or permanent (forbidden, invalid object, ...). The message is the API server's own
 * status message, which names the problem but never echoes Secret data.
 */
public record ApiError(int code, boolean transientError, String message) {
    private static final int MAX_MESSAGE = 500;

    public static ApiError of(KubernetesClientException e) {
        int code = e.getCode();
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : rootMessage(e);
        boolean transientError = code <= 0 || code >= 500 || code == 429 || code == HttpURLConnection.HTTP_CLIENT_TIMEOUT
                || hasCause(e, IOException.class);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        return new ApiError(code, transientError, message);
    }

    /** The metric tag: the HTTP status, or {@code io} when the request never got an answer. */
    public String codeTag() {
        return code <= 0 ? "io" : Integer.toString(code);
    }

    @Override
    public String toString() {
        return (code <= 0 ? "no answer from the Kubernetes API" : "Kubernetes API answered " + code) + ": " + message;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
