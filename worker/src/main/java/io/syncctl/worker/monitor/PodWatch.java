package io.syncctl.worker.monitor;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Finaliser;
import io.syncctl.worker.launch.TaskLabels;
import io.syncctl.worker.metrics.WorkerMetrics;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Follows our pods (DESIGN principle 6): an informer on our label selector delivers every change
 * within moments, and re-delivers every known pod each CONTAINER_STATUS_CHECK_SECONDS so timeouts
 * are noticed without events. A periodic sweep adds what a watch cannot see: tasks whose pod is
 * gone without a trace, the read heartbeat, and the gauges.
 */
public final class PodWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodWatch.class);
    /**
     * source_task.updated_at is refreshed at least once a minute: every 20 s (or each resync, if more often),
     * skipping rows fresher than 30 s.
     */
    static final Duration HEARTBEAT_PERIOD = Duration.ofSeconds(20);
    static final int HEARTBEAT_FRESH_SECONDS = 30;
    /** How often a stopped informer is looked for (one that stops on a watch error is replaced sooner). */
    static final Duration WATCH_CHECK_PERIOD = Duration.ofSeconds(10);
    static final Duration RESTART_AFTER_ERROR = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final WorkerSettings settings;
    private final PodMonitor monitor;
    private final Db db;
    private final TaskStore store;
    private final Finaliser finaliser;
    private final WorkerMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private volatile SharedIndexInformer<Pod> informer;
    private volatile boolean closed;

    public PodWatch(KubernetesClient client, WorkerSettings settings, PodMonitor monitor, Db db, TaskStore store,
                    Finaliser finaliser, WorkerMetrics metrics, ScheduledExecutorService scheduler, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.monitor = monitor;
        this.db = db;
        this.store = store;
        this.finaliser = finaliser;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    public void start() {
        long resync = resyncMillis();
        informer = newInformer(resync);
        scheduler.scheduleWithFixedDelay(() -> guarded("sweep", this::sweep), resync, resync, TimeUnit.MILLISECONDS);
        long heartbeat = Math.min(HEARTBEAT_PERIOD.toMillis(), resync);
        scheduler.scheduleWithFixedDelay(() -> guarded("heartbeat", this::heartbeat), heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        long check = WATCH_CHECK_PERIOD.toMillis();
        scheduler.scheduleWithFixedDelay(() -> guarded("informer check", this::ensureWatching), check, check, TimeUnit.MILLISECONDS);
    }

    private long resyncMillis() {
        return Duration.ofSeconds(settings.common().containerStatusCheckSeconds()).toMillis();
    }

    private SharedIndexInformer<Pod> newInformer(long resync) {
        SharedIndexInformer<Pod> created = client.pods().inNamespace(settings.common().kubernetesNamespace())
                .withLabels(TaskLabels.SELECTOR)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        monitor.observed(pod);
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        monitor.observed(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        monitor.deleted(pod);
                    }
                }, resync);
        created.stopped().whenComplete((ignored, error) -> {
            if (error != null && !closed) {
                LOG.warnf("the pod informer stopped on an error, restarting it in %d s: %s", RESTART_AFTER_ERROR.toSeconds(), error.toString());
                scheduler.schedule(() -> guarded("informer restart", this::ensureWatching),
                        RESTART_AFTER_ERROR.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        return created;
    }

    /** True while the informer is connected (or reconnecting) to the API server. */
    public boolean watching() {
        SharedIndexInformer<Pod> i = informer;
        return i != null && i.isRunning();
    }

    /** The informer's state for readiness: {@code watching}, {@code reconnecting}, {@code syncing} or {@code stopped}. */
    public String watchState() {
        SharedIndexInformer<Pod> i = informer;
        if (i == null || !i.isRunning()) {
            return "stopped";
        }
        if (!i.hasSynced()) {
            return "syncing";
        }
        return i.isWatching() ? "watching" : "reconnecting";
    }

    /**
     * An informer stops for good on some watch errors (fabric8 gives up instead of re-listing) and then
     * delivers nothing: no end, no timeout would be noticed. A stopped one is replaced; the new one lists
     * every pod again (each delivered as added, so every end missed meanwhile is acted on), and the sweep
     * ends tasks whose pod vanished while nobody watched. Returns whether an informer runs now.
     */
    public synchronized boolean ensureWatching() {
        if (closed || watching()) {
            return !closed;
        }
        LOG.warn("the pod informer has stopped (watch error?); starting a new one");
        SharedIndexInformer<Pod> old = informer;
        if (old != null) {
            old.stop();
        }
        informer = newInformer(resyncMillis());
        return watching();
    }

    /** The current informer (tests stop it to play a watch that died). */
    public SharedIndexInformer<Pod> informer() {
        return informer;
    }

    public List<Pod> knownPods() {
        SharedIndexInformer<Pod> i = informer;
        return i == null ? List.of() : i.getStore().list();
    }

    /**
     * Refreshes updated_at of every read whose pod is starting or running: the read is alive while its
     * pod is. A stopping pod is not: one stuck Terminating on a lost node must not keep its read from
     * ever looking stale.
     */
    void heartbeat() throws Exception {
        List<String> reads = knownPods().stream()
                .filter(p -> TaskLabels.taskType(p).orElse(null) == TaskType.READ)
                .filter(p -> alive(PodJudge.judge(p)))
                .map(p -> p.getMetadata().getAnnotations() == null ? null
                        : p.getMetadata().getAnnotations().get(TaskLabels.ANNOTATION_PREFIX + "task-id"))
                .filter(Objects::nonNull).toList();
        if (!reads.isEmpty()) {
            db.tx(c -> ResultTables.readHeartbeat(c, reads, HEARTBEAT_FRESH_SECONDS));
        }
    }

    private static boolean alive(PodVerdict v) {
        return v instanceof PodVerdict.Starting || v instanceof PodVerdict.Running;
    }

    void sweep() throws Exception {
        List<Pod> pods = knownPods();
        metrics.podsByPhase(pods.stream().collect(Collectors.groupingBy(
                p -> p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase(),
                Collectors.counting())));
        List<TaskRecord> queued = db.tx(c -> store.listByPhase(c, TaskPhase.QUEUED, 1));
        metrics.oldestQueued(queued.isEmpty() || queued.get(0).acceptedAt() == null ? Duration.ZERO
                : Duration.between(queued.get(0).acceptedAt(), clock.instant()));
        if (informer != null && informer.hasSynced()) {
            findVanished(pods);
        }
    }

    /**
     * LAUNCHED tasks of our namespace whose pod this worker has not seen: confirmed with the API
     * server (the cache may lag a fresh pod), then ended as "pod disappeared" (or cancelled, if that
     * was asked for).
     */
    private void findVanished(List<Pod> pods) throws Exception {
        Set<String> known = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        // A fresh pod may not be in the cache yet: only tasks launched a while ago are checked.
        Duration settle = Duration.ofSeconds(Math.max(10, 2 * settings.common().containerStatusCheckSeconds()));
        List<TaskRecord> launched = db.tx(c -> store.listLaunched(c, settings.common().kubernetesNamespace(),
                clock.instant().minus(settle)));
        for (TaskRecord t : launched) {
            if (!known.contains(t.podName())
                    && client.pods().inNamespace(settings.common().kubernetesNamespace()).withName(t.podName()).get() == null) {
                LOG.infof("pod %s of task %s is gone", t.podName(), t.id());
                finaliser.podGone(t.id(), t.podName());
            }
        }
    }

    private void guarded(String what, ThrowingRunnable r) {
        try {
            r.run();
        } catch (Exception e) {
            LOG.warnf("%s failed, retrying next period: %s", what, e.toString());
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Override
    public synchronized void close() {
        closed = true;
        SharedIndexInformer<Pod> i = informer;
        if (i != null) {
            i.stop();
        }
    }
}
