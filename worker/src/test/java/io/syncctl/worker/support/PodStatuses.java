package io.syncctl.worker.support;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Instant;

/**
 * Pod statuses as a kubelet writes them, for each stage of a task pod's life: what the
 * {@link SimulatedKubelet} puts on the mock API server and what unit tests judge directly.
 */
public final class PodStatuses {
    private PodStatuses() {
    }

    public static PodStatus unschedulable(String message) {
        return new PodStatusBuilder().withPhase("Pending")
                .withConditions(condition("PodScheduled", "False", "Unschedulable", message))
                .build();
    }

    /** Scheduled, init done, the source image cannot be pulled. */
    public static PodStatus imagePullBackOff(Pod pod, Instant now) {
        String image = pod.getSpec().getContainers().get(0).getImage();
        return new PodStatusBuilder().withPhase("Pending").withStartTime(now.toString())
                .withConditions(condition("PodScheduled", "True", null, null), condition("Initialized", "True", null, null))
                .withInitContainerStatuses(terminated("init", pod.getSpec().getInitContainers().get(0).getImage(), 0, "Completed", now))
                .withContainerStatuses(
                        waiting("source", image, "ImagePullBackOff", "Back-off pulling image \"" + image + "\""),
                        running("sidecar", pod.getSpec().getContainers().get(1).getImage(), now))
                .build();
    }

    public static PodStatus initRunning(Pod pod, Instant now) {
        return new PodStatusBuilder().withPhase("Pending").withStartTime(now.toString())
                .withConditions(condition("PodScheduled", "True", null, null),
                        condition("Initialized", "False", "ContainersNotInitialized", "containers with incomplete status: [init]"))
                .withInitContainerStatuses(running("init", pod.getSpec().getInitContainers().get(0).getImage(), now))
                .withContainerStatuses(waiting("source", pod.getSpec().getContainers().get(0).getImage(), "PodInitializing", null),
                        waiting("sidecar", pod.getSpec().getContainers().get(1).getImage(), "PodInitializing", null))
                .build();
    }

    /** restartPolicy Never: a failed init container fails the pod at once. */
    public static PodStatus initFailed(Pod pod, int exitCode, Instant now) {
        return new PodStatusBuilder().withPhase("Failed").withStartTime(now.toString())
                .withConditions(condition("PodScheduled", "True", null, null),
                        condition("Initialized", "False", "ContainersNotInitialized", "containers with incomplete status: [init]"))
                .withInitContainerStatuses(terminated("init", pod.getSpec().getInitContainers().get(0).getImage(), exitCode, "Error", now))
                .withContainerStatuses(waiting("source", pod.getSpec().getContainers().get(0).getImage(), "PodInitializing", null),
                        waiting("sidecar", pod.getSpec().getContainers().get(1).getImage(), "PodInitializing", null))
                .build();
    }

    public static PodStatus running(Pod pod, Instant since) {
        return new PodStatusBuilder().withPhase("Running").withStartTime(since.toString())
                .withConditions(condition("PodScheduled", "True", null, null), condition("Initialized", "True", null, null),
                        condition("Ready", "True", null, null))
                .withInitContainerStatuses(terminated("init", pod.getSpec().getInitContainers().get(0).getImage(), 0, "Completed", since))
                .withContainerStatuses(running("source", pod.getSpec().getContainers().get(0).getImage(), since),
                        running("sidecar", pod.getSpec().getContainers().get(1).getImage(), since))
                .build();
    }

    /**
     * Both containers ended: Succeeded when both exit 0, else Failed. {@code sourceReason}: "Completed",
     * "Error" or "OOMKilled".
     */
    public static PodStatus ended(Pod pod, int sourceExit, String sourceReason, int sidecarExit, Instant at) {
        boolean ok = sourceExit == 0 && sidecarExit == 0;
        return new PodStatusBuilder().withPhase(ok ? "Succeeded" : "Failed").withStartTime(at.minusSeconds(30).toString())
                .withConditions(condition("PodScheduled", "True", null, null), condition("Initialized", "True", null, null),
                        condition("Ready", "False", "PodCompleted", null))
                .withInitContainerStatuses(terminated("init", pod.getSpec().getInitContainers().get(0).getImage(), 0, "Completed", at.minusSeconds(30)))
                .withContainerStatuses(
                        terminated("source", pod.getSpec().getContainers().get(0).getImage(), sourceExit, sourceReason, at),
                        terminated("sidecar", pod.getSpec().getContainers().get(1).getImage(), sidecarExit,
                                sidecarExit == 0 ? "Completed" : "Error", at))
                .build();
    }

    /** The kubelet evicted the pod under node pressure: phase Failed, no container reached an end. */
    public static PodStatus evicted(Instant at) {
        return new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory. Threshold quantity: 100Mi, available: 40Mi.")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").withLastTransitionTime(at.toString()).build())
                .build();
    }

    public static PodStatus deadlineExceeded(Instant at) {
        return new PodStatusBuilder().withPhase("Failed").withReason("DeadlineExceeded")
                .withMessage("Pod was active on the node longer than the specified deadline")
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus("False").withLastTransitionTime(at.toString()).build())
                .build();
    }

    private static PodCondition condition(String type, String status, String reason, String message) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message).build();
    }

    private static ContainerStatus waiting(String name, String image, String reason, String message) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    private static ContainerStatus running(String name, String image, Instant since) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withRestartCount(0).withStarted(true)
                .withNewState().withNewRunning().withStartedAt(since.toString()).endRunning().endState().build();
    }

    private static ContainerStatus terminated(String name, String image, int exitCode, String reason, Instant at) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(false).withRestartCount(0)
                .withNewState().withNewTerminated().withExitCode(exitCode).withReason(reason)
                .withStartedAt(at.minusSeconds(20).toString()).withFinishedAt(at.toString()).endTerminated().endState().build();
    }
}
