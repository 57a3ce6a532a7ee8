package io.syncctl.worker.jobs;

import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobLabels;
import io.syncctl.shared.task.TaskOutcome;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes how a task ended onto its launch job, as the label {@code outcome:...} the JobRunr dashboard
 * shows beside the job's name ({@link TaskJobLabels}). The launch job itself succeeds as soon as the
 * pod exists; without this an operator would see a green job for a task that failed.
 *
 * <p>Best effort and off the caller's thread: the result tables and {@code syncctl_task.outcome} are
 * the record, this is the operator's view. A job is only changed once JobRunr is done with it
 * (SUCCEEDED, FAILED or DELETED): saving a job while its server still processes it would make that
 * server's own save fail on the version check. A job not yet done (the launcher ended the task from
 * inside the launch job, e.g. CREATE_FAILED) is looked at again a little later, a few times. A job
 * that is gone (deleted for good) is left alone. At most {@value #MAX_PENDING} updates wait; beyond
 * that they are dropped with a debug line.
 */
public final class LaunchJobOutcomes implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LaunchJobOutcomes.class);
    static final int MAX_PENDING = 10_000;
    static final int MAX_ATTEMPTS = 8;

    private final Duration retryDelay;
    private final ScheduledExecutorService executor;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile StorageProvider storage;

    public LaunchJobOutcomes(Duration retryDelay) {
        this.retryDelay = retryDelay;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "syncctl-job-outcomes");
            t.setDaemon(true);
            return t;
        });
    }

    /** The job storage to write to; until then (a worker that runs no jobs) outcomes are not written. */
    public void use(StorageProvider storage) {
        this.storage = storage;
    }

    /** Labels the launch job of {@code taskId} with the outcome, soon. {@code failureKind} as in the metrics. */
    public void record(UUID taskId, TaskOutcome outcome, String failureKind) {
        if (storage == null || executor.isShutdown()) {
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            LOG.debugf("too many job outcome updates waiting; task %s's launch job keeps its labels", taskId);
            return;
        }
        schedule(taskId, outcome, failureKind, 1, Duration.ZERO);
    }

    private void schedule(UUID taskId, TaskOutcome outcome, String failureKind, int attempt, Duration delay) {
        try {
            executor.schedule(() -> attempt(taskId, outcome, failureKind, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // shut down
            pending.decrementAndGet();
        }
    }

    private void attempt(UUID taskId, TaskOutcome outcome, String failureKind, int attempt) {
        boolean again;
        try {
            again = !write(taskId, outcome, failureKind);
        } catch (ConcurrentJobModificationException e) {
            again = true;
        } catch (RuntimeException e) { // the database, for instance
            LOG.debugf("could not label task %s's launch job with its outcome yet: %s", taskId, e.toString());
            again = true;
        }
        if (again && attempt < MAX_ATTEMPTS) {
            schedule(taskId, outcome, failureKind, attempt + 1, retryDelay.multipliedBy(attempt));
        } else {
            pending.decrementAndGet();
        }
    }

    /** True when done (written, already there, or no job to write to); false to look again later. */
    boolean write(UUID taskId, TaskOutcome outcome, String failureKind) {
        Job job;
        try {
            job = storage.getJobById(JobIds.launch(taskId));
        } catch (JobNotFoundException e) {
            return true;
        }
        if (!job.hasState(StateName.SUCCEEDED) && !job.hasState(StateName.FAILED) && !job.hasState(StateName.DELETED)) {
            return false;
        }
        List<String> labels = TaskJobLabels.withOutcome(job.getLabels(), outcome, failureKind);
        if (!labels.equals(job.getLabels())) {
            job.setLabels(labels);
            storage.save(job);
        }
        return true;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
