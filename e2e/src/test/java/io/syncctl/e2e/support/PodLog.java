package io.syncctl.e2e.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every task pod ever created in the local cluster during the run, from an informer started before the
 * first task: a pod created twice for one task shows up as two uids, even if the first one is long
 * gone. Also the cluster's current pods and Secrets, as {@code kubectl get} would show them.
 */
public final class PodLog implements AutoCloseable {
    private static final String TASK_LABEL = "syncctl.io/task";
    private static final String TASK_ID_ANNOTATION = "syncctl.io/task-id";

    /** One created pod: its uid and name, the internal task id label and the client's taskId (reads). */
    public record Created(String uid, String name, String task, String clientTaskId) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Map<String, Created> created = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    private PodLog(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        // An informer rather than a bare watch: it lists again and resumes when the watch breaks.
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                record(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                record(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                record(pod);
            }
        });
    }

    static PodLog watch(Path kubeconfig, String namespace) {
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            return new PodLog(new KubernetesClientBuilder().withConfig(config).build(), namespace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(Pod pod) {
        var meta = pod.getMetadata();
        String task = meta.getLabels() == null ? null : meta.getLabels().get(TASK_LABEL);
        String clientTaskId = meta.getAnnotations() == null ? null : meta.getAnnotations().get(TASK_ID_ANNOTATION);
        created.putIfAbsent(meta.getUid(), new Created(meta.getUid(), meta.getName(), task, clientTaskId));
    }

    /** Pods created so far for the task with internal id {@code task} (check, discover, spec: the answer's taskId). */
    public List<Created> forTask(String task) {
        return created.values().stream().filter(c -> task.equals(c.task())).toList();
    }

    /** Pods created so far for the read with the client's {@code taskId}. */
    public List<Created> forRead(String taskId) {
        return created.values().stream().filter(c -> taskId.equals(c.clientTaskId())).toList();
    }

    public List<Created> all() {
        return List.copyOf(created.values());
    }

    /** The pod as the cluster has it now. */
    public Optional<Pod> current(String name) {
        return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
    }

    /**
     * Evicts the pod through the eviction API, as {@code kubectl drain} or a preemption does: SIGTERM
     * with no /cancel behind it.
     */
    public void evict(String name) {
        if (!client.pods().inNamespace(namespace).withName(name).evict()) {
            throw new IllegalStateException("the eviction of pod " + name + " was refused");
        }
    }

    public boolean secretExists(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get() != null;
    }

    @Override
    public void close() {
        informer.close();
        client.close();
    }
}
