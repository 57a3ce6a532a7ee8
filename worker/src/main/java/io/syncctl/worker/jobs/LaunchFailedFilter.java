package io.syncctl.worker.jobs;

import io.syncctl.shared.task.TaskJobs;
import io.syncctl.worker.finalise.Failure;
import io.syncctl.worker.finalise.Finaliser;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;

import java.util.Optional;
import java.util.UUID;

/**
 * Ends the task of a launch job that failed for good (its retries used up, or a failure JobRunr does
 * not retry) as CREATE_FAILED, with the last error: otherwise the task would stay QUEUED forever and
 * a read's sync answer 409 to every later /read.
 *
 * <p>JobRunr calls this after saving each state change. A failure it will retry is followed by the
 * SCHEDULED state in the same step ({@code RetryFilter} elects it before the save), so only a job whose
 * current state is still FAILED has failed for good. If ending the task fails here (database down),
 * {@link LaunchSweep} finds the task by its failed job later.
 */
public final class LaunchFailedFilter implements ApplyStateFilter {
    private static final Logger LOG = Logger.getLogger(LaunchFailedFilter.class);
    static final String LAUNCH_METHOD = "launch";

    private final Finaliser finaliser;

    public LaunchFailedFilter(Finaliser finaliser) {
        this.finaliser = finaliser;
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (!(newState instanceof FailedState failed) || job.getState() != StateName.FAILED) {
            return;
        }
        Optional<UUID> taskId = launchedTask(job.getJobDetails());
        if (taskId.isEmpty()) {
            return;
        }
        String error = failed.getExceptionMessage() == null || failed.getExceptionMessage().isBlank()
                ? failed.getExceptionType() : failed.getExceptionMessage();
        int attempts = (int) job.getJobStates().stream().filter(s -> s instanceof FailedState).count();
        try {
            finaliser.end(taskId.get(), new Failure.CreateFailed("the launch failed " + attempts
                    + (attempts == 1 ? " time" : " times") + " and will not be retried; last error: " + error, null));
        } catch (Exception e) {
            LOG.warnf("could not end task %s after its launch failed for good (the launch sweep will): %s", taskId.get(), e.toString());
        }
    }

    /** The task id of a {@code TaskJobs.launch(taskId, label)} job. */
    static Optional<UUID> launchedTask(JobDetails details) {
        if (details == null || !TaskJobs.class.getName().equals(details.getClassName())
                || !LAUNCH_METHOD.equals(details.getMethodName()) || details.getJobParameters().isEmpty()) {
            return Optional.empty();
        }
        JobParameter first = details.getJobParameters().getFirst();
        Object value = first.getObject();
        if (value instanceof UUID id) {
            return Optional.of(id);
        }
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
