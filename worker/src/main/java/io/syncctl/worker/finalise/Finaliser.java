package io.syncctl.worker.finalise;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.launch.PodNames;
import io.syncctl.worker.metrics.WorkerMetrics;
import io.syncctl.worker.monitor.PodVerdict;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Ends tasks. Any replica may observe the same end; the conditional phase change in
 * {@link TaskStore} (under a row lock) admits one winner, which writes the result rows. Removing the
 * pod and its Secret afterwards is safe to repeat, so every observer may do it.
 */
public final class Finaliser {
    private static final Logger LOG = Logger.getLogger(Finaliser.class);

    private final Db db;
    private final TaskStore store;
    private final KubernetesClient client;
    private final String namespace;
    private final PodLogs logs;
    private final WorkerMetrics metrics;
    private final Clock clock;

    public Finaliser(Db db, TaskStore store, KubernetesClient client, String namespace, PodLogs logs,
                     WorkerMetrics metrics, Clock clock) {
        this.db = db;
        this.store = store;
        this.client = client;
        this.namespace = namespace;
        this.logs = logs;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The pod ended by itself. What the sidecar recorded stands; only when it recorded nothing does the
     * worker write why the task failed. Then the pod goes.
     */
    public void podEnded(UUID taskId, String podName, PodVerdict.Ended ended) throws SQLException {
        Optional<TaskRecord> found = db.tx(c -> store.find(c, taskId));
        if (found.isEmpty() || found.get().phase().terminal()) {
            removePod(podName, false);
            return;
        }
        TaskRecord task = found.get();
        Optional<String> recorded = db.tx(c -> TaskResults.recorded(c, task));
        // Fetching logs is network I/O: do it outside the transaction, and only when needed.
        Outcome outcome = recorded.isPresent() ? null
                : task.cancelRequestedAt() != null ? Outcome.cancelled()
                : Outcome.failed(EndingDescriber.describe(task.type(), ended, container -> logs.tail(podName, container)));
        Optional<String> code = db.tx(c -> {
            Optional<TaskRecord> locked = store.findForUpdate(c, taskId);
            if (locked.isEmpty() || locked.get().phase().terminal()) {
                return Optional.empty();
            }
            Optional<String> now = TaskResults.recorded(c, locked.get());
            if (now.isPresent()) {
                store.markDone(c, taskId, now.get());
                return now;
            }
            Outcome o = outcome != null ? outcome : Outcome.failed("the task's result disappeared");
            TaskResults.write(c, locked.get(), o);
            mark(c, taskId, o);
            return Optional.of(o.code());
        });
        removePod(podName, false);
        code.ifPresent(o -> {
            metrics.taskFinished(task.type().command(), o);
            if (ended.at() != null) {
                metrics.finalised(task.type().command(), Duration.between(ended.at(), clock.instant()));
            }
            LOG.infof("task %s ended: %s", task.label(), o);
        });
    }

    /**
     * Ends a task by the worker's decision (init timeout, time exceeded, creation failed, pod gone,
     * cancelled). Returns true for the one caller that ended it.
     */
    public boolean end(UUID taskId, Outcome outcome) throws SQLException {
        Optional<TaskRecord> ended = db.tx(c -> {
            Optional<TaskRecord> locked = store.findForUpdate(c, taskId);
            if (locked.isEmpty() || locked.get().phase().terminal()) {
                return Optional.empty();
            }
            // A task that was asked to stop and then lost its pod was cancelled, not lost.
            Outcome o = locked.get().cancelRequestedAt() != null && outcome.code().equals(Outcome.POD_DISAPPEARED)
                    ? Outcome.cancelled() : outcome;
            TaskResults.write(c, locked.get(), o);
            mark(c, taskId, o);
            return Optional.of(locked.get());
        });
        ended.ifPresent(t -> {
            metrics.taskFinished(t.type().command(), outcome.code());
            LOG.infof("task %s ended: %s: %s", t.label(), outcome.code(), outcome.reason());
        });
        return ended.isPresent();
    }

    /** The pod is gone (deleted by someone, node lost) while its task had not ended. */
    public void podGone(UUID taskId, String podName) throws SQLException {
        end(taskId, Outcome.podDisappeared());
        removePod(podName, false);
    }

    /**
     * Deletes a task's pod and Secret if present. {@code graceful}: the containers get the configured
     * grace period (the sidecar records CANCELLED on SIGTERM); otherwise the pod has ended anyway.
     */
    public void removePod(String podName, boolean graceful) {
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
        } catch (KubernetesClientException e) {
            ApiError err = ApiError.of(e);
            metrics.apiError("delete", err.codeTag());
            LOG.warnf("could not delete pod %s yet (%s); the next resync retries", podName, err);
        }
    }

    private void mark(java.sql.Connection c, UUID taskId, Outcome o) throws SQLException {
        if (o.code().equals(Outcome.CANCELLED)) {
            store.markCancelled(c, taskId, o.code());
        } else {
            store.markDone(c, taskId, o.code());
        }
    }
}
