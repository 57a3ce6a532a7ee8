package io.syncctl.worker.launch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.PodList;
import io.syncctl.shared.payload.PayloadDecryptionException;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Finaliser;
import io.syncctl.worker.finalise.Ending;
import io.syncctl.worker.finalise.Failure;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.kube.TransientApiFailure;
import io.syncctl.worker.metrics.WorkerMetrics;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The launch step: create (or adopt) the task's pod and Secret, then move the task to LAUNCHED.
 * Safe to run again at any point: a pod or Secret that already exists for the same task is adopted.
 * Transient API failures are thrown so JobRunr retries; after {@link WorkerSettings#launchGiveUp()}
 * of failing, or at once for a permanent failure, the task ends as CREATE_FAILED.
 */
public final class Launcher {
    private static final Logger LOG = Logger.getLogger(Launcher.class);

    private final Db db;
    private final TaskStore store;
    private final KubernetesClient client;
    private final WorkerSettings settings;
    private final Finaliser finaliser;
    private final WorkerMetrics metrics;
    private final Clock clock;

    public Launcher(Db db, TaskStore store, KubernetesClient client, WorkerSettings settings, Finaliser finaliser,
                    WorkerMetrics metrics, Clock clock) {
        this.db = db;
        this.store = store;
        this.client = client;
        this.settings = settings;
        this.finaliser = finaliser;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void launch(UUID taskId) throws SQLException {
        // One transaction for both reads: every database round trip is CPU on both sides, per launch.
        Queued queued;
        try {
            queued = db.tx(c -> {
                Optional<TaskRecord> t = store.find(c, taskId);
                boolean wanted = t.isPresent() && t.get().phase() == TaskPhase.QUEUED && t.get().cancelRequestedAt() == null;
                return new Queued(t, wanted ? store.payload(c, taskId) : Optional.empty());
            });
        } catch (PayloadDecryptionException e) {
            // Permanent: retrying cannot bring the key (api and worker with different keys, or a key
            // dropped from SYNCCTL_PAYLOAD_KEYS_OLD too early). The message names the task and key id only.
            LOG.warnf("launch of task %s failed: %s", taskId, e.getMessage());
            finaliser.end(taskId, new Failure.CreateFailed(e.getMessage(), null));
            return;
        }
        Optional<TaskRecord> found = queued.task();
        if (found.isEmpty()) {
            LOG.warnf("launch of unknown task %s skipped", taskId);
            return;
        }
        TaskRecord task = found.get();
        if (task.phase() != TaskPhase.QUEUED) {
            return; // launched by an earlier run of this job, or ended meanwhile
        }
        if (task.cancelRequestedAt() != null) {
            finaliser.end(taskId, new Ending.Cancelled());
            return;
        }
        Optional<TaskPayload> payload = queued.payload();
        if (payload.isEmpty()) {
            finaliser.end(taskId, new Failure.CreateFailed("the task's stored configuration is missing", null));
            return;
        }
        TaskPod taskPod = TaskPodBuilder.build(task, payload.get(), settings);
        String podName = taskPod.pod().getMetadata().getName();
        try {
            Pod pod = createOrAdopt(taskPod.pod(), task, () -> pods().withName(podName));
            createOrAdopt(taskPod.secretOwnedBy(pod), task,
                    () -> client.secrets().inNamespace(namespace()).withName(PodNames.secret(podName)));
        } catch (KubernetesClientException e) {
            ApiError error = ApiError.of(e);
            metrics.apiError("create", error.codeTag());
            failOrRetry(task, podName, error);
            return;
        } catch (ForeignObjectException e) {
            finaliser.end(taskId, new Failure.CreateFailed(e.getMessage(), null));
            return;
        }
        boolean launched = db.tx(c -> {
            if (!store.markLaunched(c, taskId, podName, namespace())) {
                return false;
            }
            if (task.type() == TaskType.READ) {
                ResultTables.readProgress(c, task.taskId(), "starting: pod " + podName + " created");
                ResultTables.log(c, LogLine.ours(LogLine.Level.INFO, "pod " + podName + " created in namespace "
                        + namespace(), task.syncId(), task.taskId()));
            }
            return true;
        });
        if (!launched) {
            // Cancelled while we were creating it (or another replica won): the pod must not run an ended task.
            if (db.tx(c -> store.find(c, taskId)).map(t -> t.phase().terminal()).orElse(true)) {
                finaliser.removePod(podName, false);
            }
            return;
        }
        metrics.podCreated(task.type().command(), Duration.between(task.acceptedAt(), clock.instant()));
        LOG.debugf("pod %s created for %s", podName, task.label());
    }

    private void failOrRetry(TaskRecord task, String podName, ApiError error) throws SQLException {
        if (error.transientError()) {
            // On the database's clock, so all replicas agree.
            Duration failing = db.tx(c -> store.launchFailingFor(c, task.id()));
            if (failing.compareTo(settings.launchGiveUp()) < 0) {
                metrics.launchRetried(task.type().command());
                throw new TransientApiFailure(error.toString());
            }
            end(task, podName, Failure.CreateFailed.gaveUp(failing.toSeconds(), error));
        } else {
            end(task, podName, Failure.CreateFailed.of(error));
        }
    }

    private void end(TaskRecord task, String podName, Failure.CreateFailed failure) throws SQLException {
        finaliser.end(task.id(), failure);
        finaliser.removePod(podName, false); // a pod whose Secret could not be created must not linger
    }

    /** Create, or on 409 adopt the existing object if it carries this task's label. */
    private <T extends HasMetadata> T createOrAdopt(T object, TaskRecord task, Supplier<Resource<T>> existing) {
        try {
            return client.resource(object).inNamespace(namespace()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            T found = existing.get().get();
            if (found == null) {
                // Deleted between our create and get: the retry creates it.
                throw new TransientApiFailure(object.getKind() + " " + object.getMetadata().getName()
                        + " existed and vanished during creation");
            }
            if (!TaskLabels.taskId(found).map(task.id()::equals).orElse(false)) {
                throw new ForeignObjectException(object.getKind() + " " + object.getMetadata().getName()
                        + " already exists and does not belong to this task");
            }
            return found;
        }
    }

    private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
        return client.pods().inNamespace(namespace());
    }

    private String namespace() {
        return settings.common().kubernetesNamespace();
    }

    private record Queued(Optional<TaskRecord> task, Optional<TaskPayload> payload) {
    }

    static final class ForeignObjectException extends RuntimeException {
        ForeignObjectException(String message) {
            super(message);
        }
    }
}
