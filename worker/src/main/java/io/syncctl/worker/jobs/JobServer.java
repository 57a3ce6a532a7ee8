package io.syncctl.worker.jobs;

import io.syncctl.shared.jobs.JobRunrStorage;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.JobSteward;
import org.jobrunr.storage.navigation.AmountRequest;
import org.jobrunr.storage.StorageProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

/**
 * JobRunr's BackgroundJobServer on the shared storage, plus the dashboard when configured.
 *
 * <p>Retries: failed steps are retried with a 2^n-second backoff (2, 4, 8, ... s), so a launch that
 * keeps failing transiently gets its attempts within the two-minute give-up window of the launcher.
 *
 * <p>A database outage can stop JobRunr's server for good, or (when it hits the server's first
 * second, failing its startup tasks) leave it heart-beating without ever taking a job.
 * {@link #ensureRunning()} (called periodically) starts a fresh one then; liveness reports false
 * only while that does not work, so Kubernetes restarts the worker if it never recovers by itself.
 */
public final class JobServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobServer.class);
    static final int RETRY_BACKOFF_SEED = 2;

    /** {@code bind}: the listening address, SYNCCTL_DASHBOARD_BIND (loopback unless the operator says otherwise). */
    public record Dashboard(String bind, int port, String username, String password) {
        public Dashboard(int port, String username, String password) {
            this(io.syncctl.shared.config.Settings.DEFAULT_DASHBOARD_BIND, port, username, password);
        }

        @Override
        public String toString() {
            return "Dashboard[" + bind + ":" + port + ", username=" + username + "]";
        }
    }

    private final StorageProvider storage;
    private final JobActivator activator;
    private final Duration pollInterval;
    private final int workers;
    private final Duration stuckAfter;
    private final List<JobFilter> filters;
    /** When a job last started on this worker (any of its servers), System.nanoTime(). */
    private volatile long lastJobStarted = System.nanoTime();
    private volatile BackgroundJobServer server;
    private DashboardServer dashboard;
    private volatile boolean stopped;
    private volatile Instant startedAt = Instant.now();

    public JobServer(StorageProvider storage, JobActivator activator, Duration pollInterval, int workers) {
        this(storage, activator, pollInterval, workers, pollInterval.multipliedBy(6));
    }

    /** {@code filters}: more job filters, e.g. {@link LaunchLater}, {@link LaunchFailedFilter}; they run after the retry filter. */
    public JobServer(StorageProvider storage, JobActivator activator, Duration pollInterval, int workers,
                     List<JobFilter> filters) {
        this(storage, activator, pollInterval, workers, pollInterval.multipliedBy(6), filters);
    }

    public JobServer(StorageProvider storage, JobActivator activator, Duration pollInterval, int workers, Duration stuckAfter) {
        this(storage, activator, pollInterval, workers, stuckAfter, List.of());
    }

    /**
     * {@code stuckAfter}: a job enqueued for longer than this while this server, with idle threads,
     * started no job means the server does not take jobs (several polls missed).
     */
    public JobServer(StorageProvider storage, JobActivator activator, Duration pollInterval, int workers, Duration stuckAfter,
                     List<JobFilter> filters) {
        this.filters = List.copyOf(filters);
        this.storage = storage;
        this.activator = activator;
        this.pollInterval = pollInterval;
        this.workers = workers;
        this.stuckAfter = stuckAfter;
    }

    public synchronized void start() {
        server = newServer();
        startedAt = Instant.now();
        server.start();
    }

    public synchronized void startDashboard(Dashboard config) {
        dashboard = new DashboardServer(storage, JobRunrStorage.jsonMapper(), config.bind(), config.port(), config.username(),
                config.password());
        dashboard.start();
    }

    /**
     * Stops taking jobs while staying announced and heart-beating: what a server whose startup
     * tasks failed looks like (tests); the watchdog replaces it once jobs wait.
     */
    public synchronized void pauseProcessing() {
        server.pauseProcessing();
    }

    public synchronized void resumeProcessing() {
        server.resumeProcessing();
    }

    public boolean isRunning() {
        BackgroundJobServer s = server;
        return s != null && s.isRunning();
    }

    /**
     * Running, alive as JobRunr's cluster sees it (announced with a recent heartbeat), and taking
     * jobs. After a database outage a server can say it runs while its heartbeat (and polling) has
     * stopped, or heart-beat while it never polls.
     */
    public boolean healthy() {
        BackgroundJobServer s = server;
        if (s == null || !s.isRunning()) {
            return false;
        }
        // A server that lost the database while starting can keep heart-beating without ever taking jobs.
        if (s.isNotReadyToProcessJobs() && startedAt.isBefore(Instant.now().minus(pollInterval.multipliedBy(4)))) {
            return false;
        }
        Instant fresh = Instant.now().minus(pollInterval.multipliedBy(4));
        try {
            return storage.getBackgroundJobServers().stream()
                    .anyMatch(b -> b.getId().equals(s.getId()) && b.getLastHeartbeat().isAfter(fresh))
                    && !takesNoJobs(s);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Jobs have waited in the queue for longer than {@code stuckAfter} while this server had idle
     * threads and started none: it is not polling. Cheap checks first; the database is asked only
     * when this server has been idle that long.
     */
    private boolean takesNoJobs(BackgroundJobServer s) {
        long stuckNanos = stuckAfter.toNanos();
        if (System.nanoTime() - lastJobStarted < stuckNanos || startedAt.isAfter(Instant.now().minus(stuckAfter))) {
            return false;
        }
        JobSteward steward = s.getJobSteward();
        if (steward != null && steward.getOccupiedWorkerCount() >= workers) {
            return false; // busy with long jobs, not stuck
        }
        List<Job> waiting = storage.getJobList(StateName.ENQUEUED, Instant.now().minus(stuckAfter),
                new AmountRequest("updatedAt:ASC", 1));
        if (!waiting.isEmpty()) {
            LOG.warnf("job %s has been enqueued for more than %d s while this job server, with idle threads, took none",
                    waiting.get(0).getId(), stuckAfter.toSeconds());
            return true;
        }
        return false;
    }

    /** Replaces a server that stopped or went silent (e.g. after losing the database). Returns whether a healthy one runs now. */
    public synchronized boolean ensureRunning() {
        if (stopped) {
            return false;
        }
        if (healthy()) {
            return true;
        }
        LOG.warn("the job server is not running, its heartbeat stopped or it takes no jobs (database outage?); starting a new one");
        try {
            if (server != null) {
                server.stop();
            }
            server = newServer();
            startedAt = Instant.now();
            server.start();
            return isRunning();
        } catch (RuntimeException e) {
            LOG.warnf("could not restart the job server yet: %s", e.toString());
            return false;
        }
    }

    private BackgroundJobServer newServer() {
        BackgroundJobServer s = new BackgroundJobServer(storage, JobRunrStorage.jsonMapper(), activator,
                usingStandardBackgroundJobServerConfiguration()
                        .andPollInterval(pollInterval)
                        .andWorkerCount(workers)
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(Duration.ofSeconds(5)));
        List<JobFilter> all = new java.util.ArrayList<>();
        all.add(new RetryFilter(RetryFilter.DEFAULT_NBR_OF_RETRIES, RETRY_BACKOFF_SEED));
        all.add(new JobServerFilter() {
            @Override
            public void onProcessing(Job job) {
                lastJobStarted = System.nanoTime();
            }
        });
        all.addAll(filters);
        s.setJobFilters(all);
        return s;
    }

    @Override
    public synchronized void close() {
        stopped = true;
        if (dashboard != null) {
            dashboard.stop();
        }
        if (server != null) {
            server.stop();
        }
    }
}
