package io.syncctl.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's Prometheus metrics (served at /q/metrics). Every meter carries the instance id
 * (SYNCCTL_INSTANCE_ID) so replicas can be told apart. Tags hold task types, outcomes, pod phases,
 * operations and HTTP codes only: never ids, names or anything from a payload.
 */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final String instance;
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicLong databaseUp = new AtomicLong(1);
    private final Map<String, AtomicLong> podsByPhase = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestRunning = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry, String instance) {
        this.registry = registry;
        this.instance = instance;
        // A registry keeps the first gauge of a name; a worker restarted in the same JVM (tests) takes them over.
        registry.find("syncctl.queue.oldest.age").gauges().forEach(registry::remove);
        for (String gauge : new String[]{"syncctl.pods", "syncctl.queue.depth", "syncctl.running.oldest.age",
                "syncctl.database.up", "syncctl.job.server.healthy"}) {
            registry.find(gauge).gauges().forEach(registry::remove);
        }
        registry.find("syncctl.job.server.restarts").meters().forEach(registry::remove);
        Gauge.builder("syncctl.queue.oldest.age", oldestQueuedSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest accepted task that has no pod yet").strongReference(true)
                .tag("instance", instance).register(registry);
        Gauge.builder("syncctl.queue.depth", queueDepth, AtomicLong::get)
                .description("Accepted tasks that have no pod yet (all workers see the same queue)").strongReference(true)
                .tag("instance", instance).register(registry);
        for (String operation : new String[]{"create", "delete", "log"}) {
            apiErrorsCounter(operation, "io");
        }
        Gauge.builder("syncctl.database.up", databaseUp, AtomicLong::get)
                .description("1 when this worker's last periodic database query succeeded, else 0").strongReference(true)
                .tag("instance", instance).register(registry);
        for (String type : new String[]{"spec", "check", "discover", "read"}) {
            // closed label sets start at zero, so rates and alerts see the first event
            launchRetriesCounter(type);
            AtomicLong age = new AtomicLong();
            oldestRunning.put(type, age);
            Gauge.builder("syncctl.running.oldest.age", age, AtomicLong::get).baseUnit("seconds")
                    .description("How long the longest-running task pod of a type has been running, as this worker sees them")
                    .strongReference(true).tag("instance", instance).tag("type", type).register(registry);
        }
        for (String phase : new String[]{"Pending", "Running", "Succeeded", "Failed", "Unknown"}) {
            AtomicLong n = new AtomicLong();
            podsByPhase.put(phase, n);
            Gauge.builder("syncctl.pods", n, AtomicLong::get).description("Task pods by phase, as this worker sees them")
                    .strongReference(true).tag("instance", instance).tag("phase", phase).register(registry);
        }
    }

    /**
     * {@code outcome}: the stored outcome code; {@code failure}: the kind of a failure the worker found
     * ({@code out_of_memory}, {@code image_pull}, ...), {@code recorded} for a failure the sidecar
     * recorded, else {@code none}. Both are closed sets.
     */
    public void taskFinished(String type, String outcome, String failure) {
        Counter.builder("syncctl.tasks.finished").description("Tasks finished, by type, outcome and failure kind")
                .tag("instance", instance).tag("type", type).tag("outcome", outcome).tag("failure", failure)
                .register(registry).increment();
    }

    /** Accepted to pod created. */
    public void podCreated(String type, Duration sinceAccepted) {
        timer("syncctl.launch.latency", "From task accepted to its pod created", type).record(nonNegative(sinceAccepted));
    }

    /** Pod terminated to task finalised (result written, pod deleted). */
    public void finalised(String type, Duration sinceTerminated) {
        timer("syncctl.finalise.latency", "From pod terminated to task finalised", type).record(nonNegative(sinceTerminated));
    }

    /** {@code code}: the HTTP status, or {@code io} for no answer. */
    public void apiError(String operation, String code) {
        apiErrorsCounter(operation, code).increment();
    }

    private Counter apiErrorsCounter(String operation, String code) {
        return Counter.builder("syncctl.kubernetes.api.errors").description("Failed Kubernetes API calls")
                .tag("instance", instance).tag("operation", operation).tag("code", code).register(registry);
    }

    public void launchRetried(String type) {
        launchRetriesCounter(type).increment();
    }

    private Counter launchRetriesCounter(String type) {
        return Counter.builder("syncctl.launch.retries").description("Launches that failed transiently and will be retried")
                .tag("instance", instance).tag("type", type).register(registry);
    }

    /** Pod created to task finished. */
    public void taskRan(String type, Duration ran) {
        Timer.builder("syncctl.task.duration").description("From pod created to task finished").tag("instance", instance)
                .tag("type", type).register(registry).record(nonNegative(ran));
    }

    public void queueDepth(long tasks) {
        queueDepth.set(tasks);
    }

    public void databaseUp(boolean up) {
        databaseUp.set(up ? 1 : 0);
    }

    /** The longest time a task pod of each type has been running (0 for none). */
    public void oldestRunning(Map<String, Duration> byType) {
        oldestRunning.forEach((type, n) -> n.set(byType.getOrDefault(type, Duration.ZERO).toSeconds()));
    }

    /**
     * The job server's health as the watchdog last found it (1 or 0) and how often the watchdog
     * replaced it; read from {@code restarts} and {@code healthy} at each scrape.
     */
    public void jobServer(java.util.function.LongSupplier restarts, java.util.function.BooleanSupplier healthy) {
        io.micrometer.core.instrument.FunctionCounter.builder("syncctl.job.server.restarts", restarts, r -> r.getAsLong())
                .description("Times the watchdog replaced a stopped or silent JobRunr server").tag("instance", instance)
                .register(registry);
        Gauge.builder("syncctl.job.server.healthy", healthy, h -> h.getAsBoolean() ? 1 : 0)
                .description("1 when the watchdog last found the job server running, heart-beating and taking jobs")
                .strongReference(true).tag("instance", instance).register(registry);
    }

    public void oldestQueued(Duration age) {
        oldestQueuedSeconds.set(age.toSeconds());
    }

    public void podsByPhase(Map<String, Long> counts) {
        podsByPhase.forEach((phase, n) -> n.set(counts.getOrDefault(phase, 0L)));
    }

    private Timer timer(String name, String description, String type) {
        return Timer.builder(name).description(description).tag("instance", instance).tag("type", type)
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
