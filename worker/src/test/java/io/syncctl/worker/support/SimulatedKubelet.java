package io.syncctl.worker.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.syncctl.worker.launch.TaskLabels;
import io.syncctl.worker.launch.TaskPodBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Plays the kubelet against the fabric8 mock API server (which runs nothing): moves task pods through
 * the states a real node reports, with realistic container statuses and exit codes, and serves their
 * container logs through exact-path expectations (the only way the mock serves pods/{name}/log).
 */
public final class SimulatedKubelet {
    private final KubernetesServer server;
    private final KubernetesClient client;
    private final String namespace;

    public SimulatedKubelet(KubernetesServer server, String namespace) {
        this.server = server;
        this.client = server.getClient();
        this.namespace = namespace;
    }

    public KubernetesClient client() {
        return client;
    }

    public Pod awaitPod(UUID taskId) {
        return Eventually.await("pod of task " + taskId, () -> pods(taskId).stream().findFirst().orElse(null));
    }

    public List<Pod> pods(UUID taskId) {
        return client.pods().inNamespace(namespace).withLabel(TaskLabels.TASK, taskId.toString()).list().getItems();
    }

    public boolean gone(Pod pod) {
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get() == null
                && client.secrets().inNamespace(namespace).withName(pod.getMetadata().getName() + "-config").get() == null;
    }

    public void unschedulable(Pod pod, String message) {
        status(pod, p -> PodStatuses.unschedulable(message));
    }

    public void imagePullBackOff(Pod pod) {
        status(pod, p -> PodStatuses.imagePullBackOff(p, Instant.now()));
    }

    public void initRunning(Pod pod, String log) {
        logs(pod, Map.of(TaskPodBuilder.INIT, log));
        status(pod, p -> PodStatuses.initRunning(p, Instant.now()));
    }

    public void initFails(Pod pod, int exitCode, String log) {
        logs(pod, Map.of(TaskPodBuilder.INIT, log, TaskPodBuilder.SOURCE, "", TaskPodBuilder.SIDECAR, ""));
        status(pod, p -> PodStatuses.initFailed(p, exitCode, Instant.now()));
    }

    public void run(Pod pod) {
        runSince(pod, Instant.now());
    }

    public void runSince(Pod pod, Instant since) {
        status(pod, p -> PodStatuses.running(p, since));
    }

    /** Both containers exit 0. */
    public void succeed(Pod pod) {
        end(pod, 0, "Completed", 0, "", "");
    }

    /** The containers end with these exit codes; the logs are what the kubelet then serves. */
    public void end(Pod pod, int sourceExit, String sourceReason, int sidecarExit, String sourceLog, String sidecarLog) {
        logs(pod, Map.of(TaskPodBuilder.SOURCE, sourceLog, TaskPodBuilder.SIDECAR, sidecarLog, TaskPodBuilder.INIT, ""));
        status(pod, p -> PodStatuses.ended(p, sourceExit, sourceReason, sidecarExit, Instant.now()));
    }

    public void evict(Pod pod) {
        status(pod, p -> PodStatuses.evicted(Instant.now()));
    }

    public void deadlineExceeded(Pod pod) {
        status(pod, p -> PodStatuses.deadlineExceeded(Instant.now()));
    }

    /** Someone deletes the pod, or its node is lost. */
    public void delete(Pod pod) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }

    /**
     * The pod is deleted and its node never confirms the end (a lost node): it stays Terminating. The mock
     * API server keeps a deleted object only while it has a finalizer, and then sets its deletionTimestamp
     * to now: as if its grace period ended at the deletion.
     */
    public void terminatingOnALostNode(Pod pod) {
        var resource = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
        resource.edit(p -> {
            p.getMetadata().setFinalizers(List.of(LOST_NODE));
            return p;
        });
        resource.delete();
    }

    /** Lets a pod held by {@link #terminatingOnALostNode} go: its next deletion removes it. */
    public void release(Pod pod) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).edit(p -> {
            p.getMetadata().setFinalizers(List.of());
            return p;
        });
    }

    public static final String LOST_NODE = "test.syncctl.io/lost-node";

    public void status(Pod pod, Function<Pod, PodStatus> status) {
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.setStatus(status.apply(p));
            return p;
        });
    }

    /** Serves these container logs exactly as the worker asks for them (the last lines). */
    public void logs(Pod pod, Map<String, String> byContainer) {
        byContainer.forEach((container, text) -> server.expect().get()
                .withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod.getMetadata().getName()
                        + "/log?pretty=false&container=" + container + "&tailLines=" + io.syncctl.worker.finalise.PodLogs.TAIL_LINES)
                .andReturn(200, text).always());
    }
}
