package io.syncctl.worker.jobs;

import io.syncctl.shared.task.TaskJobs;
import org.jobrunr.server.JobActivator;

/**
 * Resolves the jobs the api enqueues (the {@link TaskJobs} interface JobRunr stores) straight to one
 * worker's {@link TaskSteps}: no container lookup, so each worker in a test JVM runs its own jobs.
 */
public final class TaskJobsActivator implements JobActivator {
    private final TaskJobs steps;

    public TaskJobsActivator(TaskJobs steps) {
        this.steps = steps;
    }

    /** The steps for {@code TaskJobs}; null for any other type (JobRunr then fails the job naming the class). */
    @Override
    public <T> T activateJob(Class<T> type) {
        return type.isInstance(steps) ? type.cast(steps) : null;
    }
}
