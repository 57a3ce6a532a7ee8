package io.syncctl.devkit.cluster;

/**
 * Something a container needs does not exist yet (a Secret, a key). The kubelet shows
 * {@code reason}/{@code message} in the container's waiting state and tries again, as a real
 * kubelet does: the worker may create a pod's Secret just after the pod.
 */
final class NotReadyException extends Exception {

    private final String reason;

    NotReadyException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
