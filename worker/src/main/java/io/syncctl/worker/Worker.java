package io.syncctl.worker;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.cancel.Canceller;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Finaliser;
import io.syncctl.worker.finalise.PodLogs;
import io.syncctl.worker.finalise.PodRemover;
import io.syncctl.worker.jobs.JobServer;
import io.syncctl.worker.jobs.LaunchFailedFilter;
import io.syncctl.worker.jobs.LaunchLater;
import io.syncctl.worker.jobs.LaunchSweep;
import io.syncctl.worker.jobs.TaskJobsActivator;
import io.syncctl.worker.jobs.TaskSteps;
import io.syncctl.worker.launch.Launcher;
import io.syncctl.worker.metrics.WorkerMetrics;
import io.syncctl.worker.monitor.PodMonitor;
import io.syncctl.worker.monitor.PodWatch;
import io.syncctl.worker.room.RoomGate;
import io.syncctl.worker.room.WaitingLog;
import io.syncctl.worker.stale.StaleReads;
import org.jboss.logging.Logger;
import org.jobrunr.server.JobActivator;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker: every part wired by hand from its dependencies (settings, database, Kubernetes client,
 * meter registry, clock). CDI starts one ({@link WorkerRuntime}); tests start more in the same JVM
 * to play several replicas against one database and one API server. Its job server runs its own
 * {@link TaskSteps}: a job goes from JobRunr to the launcher or canceller of this worker directly.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Worker.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    static final Duration STALE_CHECK_PERIOD = Duration.ofMinutes(5);
    static final Duration JOB_SERVER_CHECK_PERIOD = Duration.ofSeconds(15);
    static final Duration LAUNCH_SWEEP_PERIOD = Duration.ofMinutes(1);
    /** Queued tasks younger than this are not checked by the launch sweep (their job commits with them). */
    static final Duration LAUNCH_SWEEP_GRACE = Duration.ofMinutes(1);
    static final int MONITOR_THREADS = 8;
    static final int JOB_WORKERS = 16;

    private final WorkerSettings settings;
    private final Db db;
    private final TaskStore store;
    private final WorkerMetrics metrics;
    private final Finaliser finaliser;
    private final PodRemover remover;
    private final Launcher launcher;
    private final Canceller canceller;
    private final PodMonitor monitor;
    private final PodWatch watch;
    private final StaleReads staleReads;
    private final LaunchSweep launchSweep;
    private final TaskSteps steps;
    private final LaunchLater launchLater = new LaunchLater();
    private final KubernetesClient client;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService monitorPool;
    private volatile JobServer jobServer;

    public Worker(WorkerSettings settings, DataSource dataSource, KubernetesClient client, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.client = client;
        String namespace = settings.common().kubernetesNamespace();
        this.db = new Db(dataSource);
        this.store = new TaskStore(new PayloadCipher(settings.common().payloadKey(), settings.common().payloadKeysOld()));
        this.metrics = new WorkerMetrics(registry, settings.common().instanceId());
        this.scheduler = Executors.newScheduledThreadPool(2, threads("syncctl-sweep"));
        this.monitorPool = Executors.newFixedThreadPool(MONITOR_THREADS, threads("syncctl-monitor"));
        PodLogs logs = new PodLogs(client, namespace, metrics);
        this.remover = new PodRemover(client, namespace, metrics);
        this.finaliser = new Finaliser(db, store, remover, logs, metrics, clock);
        this.launcher = new Launcher(db, store, client, settings, finaliser, metrics, clock);
        this.canceller = new Canceller(db, store, client, settings, finaliser, metrics);
        WaitingLog waitingLog = new WaitingLog(db, store, clock);
        this.monitor = new PodMonitor(finaliser, logs, waitingLog, settings, clock, monitorPool);
        this.watch = new PodWatch(client, settings, monitor, db, store, finaliser, metrics, scheduler, clock);
        this.staleReads = new StaleReads(db, store, client, namespace, clock);
        this.launchSweep = new LaunchSweep(db, finaliser, settings.common().internalSchema(), LAUNCH_SWEEP_GRACE);
        this.steps = new TaskSteps(launcher, canceller, new RoomGate(db, store, settings, clock), launchLater, waitingLog, clock);
    }

    /** Starts following pods: informer, resync sweep, heartbeat, stale-read check. */
    public void startWatching() {
        watch.start();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                staleReads.closeStale();
            } catch (Exception e) {
                LOG.warnf("stale read check failed, retrying next period: %s", e.toString());
            }
        }, 30, STALE_CHECK_PERIOD.toSeconds(), TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                launchSweep.sweep();
            } catch (Exception e) {
                LOG.warnf("launch sweep failed, retrying next period: %s", e.toString());
            }
        }, LAUNCH_SWEEP_PERIOD.toSeconds(), LAUNCH_SWEEP_PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    /** Starts running this worker's steps for the jobs of the shared queue, and the dashboard if configured. */
    public void startJobs() {
        startJobs(new TaskJobsActivator(steps));
    }

    /** {@link #startJobs()} with the job types resolved by {@code activator}. */
    public void startJobs(JobActivator activator) {
        JobServer server = new JobServer(JobRunrStorage.open(db.dataSource(), settings.common().internalSchema()),
                activator, POLL_INTERVAL, JOB_WORKERS, POLL_INTERVAL.multipliedBy(6), List.of(launchLater, new LaunchFailedFilter(finaliser)));
        server.start();
        Optional<Integer> port = settings.common().dashboardPort();
        port.ifPresent(p -> server.startDashboard(new JobServer.Dashboard(settings.common().dashboardBind(), p, settings.common().dashboardUsername(),
                settings.common().dashboardPassword())));
        jobServer = server;
        scheduler.scheduleWithFixedDelay(server::ensureRunning, JOB_SERVER_CHECK_PERIOD.toSeconds(),
                JOB_SERVER_CHECK_PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    public TaskJobs steps() {
        return steps;
    }

    public Launcher launcher() {
        return launcher;
    }

    public Canceller canceller() {
        return canceller;
    }

    public Finaliser finaliser() {
        return finaliser;
    }

    public StaleReads staleReads() {
        return staleReads;
    }

    public LaunchSweep launchSweep() {
        return launchSweep;
    }

    public PodWatch watch() {
        return watch;
    }

    public Optional<JobServer> jobServer() {
        return Optional.ofNullable(jobServer);
    }

    public Db db() {
        return db;
    }

    public KubernetesClient client() {
        return client;
    }

    public WorkerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (jobServer != null) {
            jobServer.close();
        }
        watch.close();
        scheduler.shutdownNow();
        monitorPool.shutdownNow();
        remover.close();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
