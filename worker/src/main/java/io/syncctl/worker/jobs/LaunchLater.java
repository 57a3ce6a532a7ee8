package io.syncctl.worker.jobs;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.SucceededState;

import java.time.Instant;

/**
 * Puts a launch job that found no room back in the queue, as the same job (so it stays visible, and
 * nothing looking for the task's job finds it gone), scheduled to run again: the step asks for it
 * with {@link #askAgainAt} and returns normally; when JobRunr then elects the job's next state on the
 * same thread, SUCCEEDED becomes SCHEDULED. No failure is recorded, so retries are not used up.
 */
public final class LaunchLater implements ElectStateFilter {
    private final ThreadLocal<Asked> asked = new ThreadLocal<>();

    private record Asked(Instant at, String reason) {
    }

    /** Called by the step, on the job's thread, just before it returns. */
    void askAgainAt(Instant at, String reason) {
        asked.set(new Asked(at, reason));
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        Asked a = asked.get();
        asked.remove();
        if (a != null && newState instanceof SucceededState) {
            job.scheduleAt(a.at(), a.reason());
        }
    }
}
