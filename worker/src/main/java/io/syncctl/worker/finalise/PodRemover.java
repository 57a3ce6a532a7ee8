package io.syncctl.worker.finalise;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.launch.PodNames;
import io.syncctl.worker.metrics.WorkerMetrics;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deletes ended tasks' pods and Secrets on threads of its own, so a burst of pods ending at once is
 * finalised (a database write per pod) without waiting behind two API calls per pod.
 *
 * <p>Nothing here needs to survive a restart: a removal is only asked for once the task's end is
 * recorded, and a pod that is still there (a removal dropped, given up, or lost with the process)
 * is re-delivered by the informer's resync, ended, and asked to be removed again. Transient API
 * errors are retried a few times with backoff; at most {@link #MAX_PENDING} removals wait at once.
 */
public final class PodRemover implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PodRemover.class);
    static final int THREADS = 4;
    static final int MAX_PENDING = 10_000;
    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    private final KubernetesClient client;
    private final String namespace;
    private final WorkerMetrics metrics;
    private final ScheduledThreadPoolExecutor executor;
    /** Pods with a removal queued, running or waiting to retry: each pod is removed by one at a time. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public PodRemover(KubernetesClient client, String namespace, WorkerMetrics metrics) {
        this.client = client;
        this.namespace = namespace;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(THREADS, r -> {
            Thread t = new Thread(r, "syncctl-remove-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Asks for the pod and its Secret to be deleted. {@code graceful}: the containers get the pod's
     * grace period (the sidecar records CANCELLED on SIGTERM); otherwise the pod has ended anyway.
     */
    public void remove(String podName, boolean graceful) {
        if (pending.size() >= MAX_PENDING) {
            LOG.debugf("%d removals pending; pod %s is removed after the next resync", pending.size(), podName);
            return;
        }
        if (pending.add(podName)) {
            try {
                executor.execute(() -> attempt(podName, graceful, 1));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.remove(podName); // shutting down
            }
        }
    }

    /** Removals queued or waiting to retry. */
    public int pending() {
        return pending.size();
    }

    private void attempt(String podName, boolean graceful, int attempt) {
        try {
            var pod = client.pods().inNamespace(namespace).withName(podName);
            if (graceful) {
                pod.delete();
            } else {
                pod.withGracePeriod(0).delete();
            }
            // The Secret is owned by the pod and garbage-collected with it; deleting it too makes
            // sure credentials do not outlive the task where no garbage collector runs.
            client.secrets().inNamespace(namespace).withName(PodNames.secret(podName)).delete();
            pending.remove(podName);
        } catch (KubernetesClientException e) {
            ApiError err = ApiError.of(e);
            metrics.apiError("delete", err.codeTag());
            if (err.transientError() && attempt < MAX_ATTEMPTS) {
                long delay = FIRST_BACKOFF.toMillis() << (attempt - 1);
                LOG.debugf("could not delete pod %s (%s); retrying in %d ms", podName, err, delay);
                try {
                    executor.schedule(() -> attempt(podName, graceful, attempt + 1), delay, TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // fall through
                }
            }
            pending.remove(podName);
            LOG.warnf("could not delete pod %s (%s); the next resync retries", podName, err);
        } catch (RuntimeException e) {
            pending.remove(podName);
            LOG.warnf("could not delete pod %s (%s); the next resync retries", podName, e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
