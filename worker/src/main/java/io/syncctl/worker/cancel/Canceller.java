package io.syncctl.worker.cancel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Finaliser;
import io.syncctl.worker.finalise.Ending;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.kube.TransientApiFailure;
import io.syncctl.worker.logging.TaskMdc;
import io.syncctl.worker.metrics.WorkerMetrics;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The cancel step. A queued task ends at once. A launched one has its pod deleted with the grace
 * period, so the sidecar gets SIGTERM and records CANCELLED itself; when the pod is gone the monitor
 * ends the task as CANCELLED if the sidecar could not (the task is marked cancel-requested). If the
 * pod is already gone, this step records it.
 */
public final class Canceller {
    private final Db db;
    private final TaskStore store;
    private final KubernetesClient client;
    private final WorkerSettings settings;
    private final Finaliser finaliser;
    private final WorkerMetrics metrics;

    public Canceller(Db db, TaskStore store, KubernetesClient client, WorkerSettings settings, Finaliser finaliser,
                     WorkerMetrics metrics) {
        this.db = db;
        this.store = store;
        this.client = client;
        this.settings = settings;
        this.finaliser = finaliser;
        this.metrics = metrics;
    }

    public void cancel(UUID taskId) throws SQLException {
        Optional<TaskRecord> found = db.tx(c -> {
            store.requestCancel(c, taskId);
            return store.find(c, taskId);
        });
        if (found.isEmpty() || found.get().phase().terminal()) {
            return;
        }
        try (TaskMdc ignored = TaskMdc.of(found.get())) {
            cancel(found.get());
        }
    }

    private void cancel(TaskRecord task) throws SQLException {
        UUID taskId = task.id();
        if (task.phase() == TaskPhase.QUEUED) {
            finaliser.end(taskId, new Ending.Cancelled());
            return;
        }
        boolean deleted;
        try {
            deleted = !client.pods().inNamespace(settings.common().kubernetesNamespace()).withName(task.podName())
                    .withGracePeriod(settings.gracePeriodSeconds()).delete().isEmpty();
        } catch (KubernetesClientException e) {
            ApiError error = ApiError.of(e);
            metrics.apiError("delete", error.codeTag());
            throw new TransientApiFailure("could not delete pod " + task.podName() + ": " + error);
        }
        if (!deleted) {
            // No pod to stop: nobody else will see it end.
            finaliser.end(taskId, new Ending.Cancelled());
            finaliser.removePod(task.podName(), false);
        }
    }
}
