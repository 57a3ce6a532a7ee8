package io.syncctl.shared.task;

import org.jobrunr.jobs.annotations.Job;

import java.util.UUID;

/**
 * The jobs the api enqueues and the worker runs. JobRunr stores the interface name, the method and
 * its arguments as JSON (visible on the dashboard), so arguments are references only: the internal
 * task id and a human label such as {@code check airbyte/source-pg:1.0 key=k1 task=...}. Secrets live
 * in the encrypted payload the worker loads by id.
 *
 * <p>Each job does one short step and returns (DESIGN principle 3); every step is idempotent because
 * JobRunr may run a job again after a worker dies mid-step.
 */
public interface TaskJobs {

    /** Create (or adopt) the task's Secret and Pod. */
    @Job(name = "launch %1", retries = 8)
    void launch(UUID taskId, String label);

    /** Stop a task the api could not cancel by itself because it had already started. */
    @Job(name = "cancel %1", retries = 8)
    void cancel(UUID taskId, String label);
}
