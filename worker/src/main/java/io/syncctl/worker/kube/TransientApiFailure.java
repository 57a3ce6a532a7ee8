package io.syncctl.worker.kube;

/**
 * Thrown out of a job step so JobRunr retries it with backoff. The message is the Kubernetes
 * API's answer (stored in the job's history on the dashboard), never anything from the payload.
 */
public final class TransientApiFailure extends RuntimeException {
    public TransientApiFailure(String message) {
        super(message);
    }
}
