package io.syncctl.worker.jobs;

import io.syncctl.shared.task.TaskJobs;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A launch that found no room goes back to the queue as the same job, with no failure recorded. */
class LaunchLaterTest {

    private static Job processingLaunch() {
        UUID task = UUID.randomUUID();
        JobDetails details = new JobDetails(TaskJobs.class.getName(), null, "launch",
                List.of(new JobParameter(UUID.class, task), new JobParameter(String.class, "check x")));
        return new Job(UUID.randomUUID(), 1, details, new ArrayList<>(List.of(new EnqueuedState(),
                new ProcessingState(UUID.randomUUID(), "worker"))), new ConcurrentHashMap<>());
    }

    @Test
    void aStepThatAskedToRunAgainIsScheduledInsteadOfSucceeded() {
        LaunchLater later = new LaunchLater();
        Job job = processingLaunch();
        Instant at = Instant.parse("2030-01-01T00:00:05Z");
        later.askAgainAt(at, "waiting for room in the queue for 3 s");
        job.succeeded();
        later.onStateElection(job, job.getJobState());
        assertEquals(StateName.SCHEDULED, job.getState());
        assertEquals(at, assertInstanceOf(ScheduledState.class, job.getJobState()).getScheduledAt());
        assertEquals(0, job.getJobStates().stream().filter(s -> s.getName() == StateName.FAILED).count());

        // Asked once: the next run of any job on this thread succeeds as usual.
        Job next = processingLaunch();
        next.succeeded();
        later.onStateElection(next, next.getJobState());
        assertEquals(StateName.SUCCEEDED, next.getState());
    }
}
