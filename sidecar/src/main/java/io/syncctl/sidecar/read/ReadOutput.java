package io.syncctl.sidecar.read;

import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;

/**
 * Where a read's results go: {@code source_state}, {@code source_task} and {@code task_log} in production
 * ({@link TableOutput}), a list in the session's unit tests. Texts are already masked.
 */
public interface ReadOutput {

    /** One {@code source_state} row: the inner state object under its stream key. */
    void storeState(String streamKey, String stateJson) throws Exception;

    /** The description (and {@code updated_at}) of the RUNNING task. */
    void progress(String description) throws Exception;

    /** The final status; false when the task was no longer RUNNING. */
    boolean finished(ReadStatus status, String description, String error, String metricsJson) throws Exception;

    /**
     * Whether the read was cancelled: {@code /cancel} marks it CANCELLED at once, before the pod is
     * stopped. Asked when the connector's output ended without our own SIGTERM: the pod's SIGTERM reaches
     * the connector too, and its pipes may close before the sidecar's shutdown hook runs.
     */
    boolean cancelRequested() throws Exception;

    /** The statistics of a task someone else already marked CANCELLED; false when it is not. */
    boolean cancelledStatistics(String description, String error, String metricsJson) throws Exception;

    /** One of the sidecar's own task_log lines. */
    void log(LogLine.Level level, String message);
}
