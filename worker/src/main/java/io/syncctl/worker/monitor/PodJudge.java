package io.syncctl.worker.monitor;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.syncctl.worker.launch.TaskPodBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/** Reads a pod's status into a {@link PodVerdict}. Pure: no clock, no I/O. */
public final class PodJudge {
    private static final Set<String> IMAGE_PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable");

    private PodJudge() {
    }

    public static PodVerdict judge(Pod pod) {
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        String phase = Objects.requireNonNullElse(status.getPhase(), "Pending");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return ended(pod, status);
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new PodVerdict.Stopping(instant(pod.getMetadata().getDeletionTimestamp()));
        }
        if (phase.equals("Running")) {
            ContainerStatus source = container(status.getContainerStatuses(), TaskPodBuilder.SOURCE);
            Instant since = source != null && source.getState() != null && source.getState().getRunning() != null
                    ? instant(source.getState().getRunning().getStartedAt())
                    : instant(status.getStartTime());
            return new PodVerdict.Running(since != null ? since : created(pod));
        }
        ContainerStatus init = container(status.getInitContainerStatuses(), TaskPodBuilder.INIT);
        boolean initBusy = init != null && init.getState() != null && init.getState().getRunning() != null;
        return new PodVerdict.Starting(created(pod), whyStarting(pod, status, initBusy), initBusy, scheduledAt(pod, status));
    }

    /**
     * When the pod was bound to a node (its PodScheduled condition turned True), or null while it waits
     * for one. A bound pod whose condition carries no time counts from its start time, else its creation.
     */
    static Instant scheduledAt(Pod pod, PodStatus status) {
        PodCondition scheduled = Objects.requireNonNullElse(status.getConditions(), List.<PodCondition>of()).stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        boolean bound = scheduled != null ? "True".equals(scheduled.getStatus())
                : pod.getSpec() != null && pod.getSpec().getNodeName() != null;
        if (!bound) {
            return null;
        }
        Instant at = scheduled == null ? null : instant(scheduled.getLastTransitionTime());
        if (at == null) {
            at = instant(status.getStartTime());
        }
        return at != null ? at : created(pod);
    }

    /** Why a pod is not running yet: the most specific reason Kubernetes gives. */
    static PodVerdict.Holdup whyStarting(Pod pod, PodStatus status, boolean initBusy) {
        List<ContainerStatus> all = Stream.concat(
                        Objects.requireNonNullElse(status.getInitContainerStatuses(), List.<ContainerStatus>of()).stream(),
                        Objects.requireNonNullElse(status.getContainerStatuses(), List.<ContainerStatus>of()).stream())
                .toList();
        for (ContainerStatus c : all) {
            var waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && IMAGE_PULL.contains(waiting.getReason())) {
                return new PodVerdict.Holdup.ImagePull(c.getImage(), waiting.getReason(), waiting.getMessage());
            }
        }
        for (PodCondition condition : Objects.requireNonNullElse(status.getConditions(), List.<PodCondition>of())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                return new PodVerdict.Holdup.Unschedulable(Objects.requireNonNullElse(condition.getReason(), "Unschedulable"),
                        condition.getMessage());
            }
        }
        for (ContainerStatus c : all) {
            var waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && waiting.getReason() != null && !waiting.getReason().equals("PodInitializing")
                    && !waiting.getReason().equals("ContainerCreating")) {
                return new PodVerdict.Holdup.Waiting("container " + c.getName() + " is waiting (" + waiting.getReason()
                        + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()) + ")");
            }
        }
        if (initBusy) {
            return new PodVerdict.Holdup.Waiting("the init container has not finished");
        }
        if (status.getConditions() == null || status.getConditions().isEmpty()) {
            return new PodVerdict.Holdup.Waiting("the pod was never scheduled");
        }
        return new PodVerdict.Holdup.Waiting("the pod is still " + Objects.requireNonNullElse(status.getPhase(), "Pending"));
    }

    private static PodVerdict.Ended ended(Pod pod, PodStatus status) {
        List<Instant> times = new ArrayList<>();
        PodVerdict.Exit init = exit(container(status.getInitContainerStatuses(), TaskPodBuilder.INIT), times);
        PodVerdict.Exit source = exit(container(status.getContainerStatuses(), TaskPodBuilder.SOURCE), times);
        PodVerdict.Exit sidecar = exit(container(status.getContainerStatuses(), TaskPodBuilder.SIDECAR), times);
        Instant at = times.stream().max(Instant::compareTo).orElse(null);
        if (at == null) {
            // Evicted or failed as a whole: the last condition change is the best moment we know.
            at = Objects.requireNonNullElse(status.getConditions(), List.<PodCondition>of()).stream()
                    .map(c -> instant(c.getLastTransitionTime())).filter(Objects::nonNull)
                    .max(Instant::compareTo).orElse(created(pod));
        }
        return new PodVerdict.Ended(at, status.getReason(), status.getMessage(), init, source, sidecar);
    }

    private static PodVerdict.Exit exit(ContainerStatus c, List<Instant> times) {
        if (c == null) {
            return null;
        }
        ContainerState state = c.getState();
        ContainerStateTerminated t = state == null ? null : state.getTerminated();
        if (t == null && c.getLastState() != null) {
            t = c.getLastState().getTerminated();
        }
        if (t == null) {
            return null;
        }
        Instant finished = instant(t.getFinishedAt());
        if (finished != null) {
            times.add(finished);
        }
        return new PodVerdict.Exit(t.getExitCode() == null ? -1 : t.getExitCode(), t.getReason(), t.getMessage());
    }

    private static ContainerStatus container(List<ContainerStatus> statuses, String name) {
        if (statuses == null) {
            return null;
        }
        return statuses.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    private static Instant created(Pod pod) {
        Instant t = instant(pod.getMetadata().getCreationTimestamp());
        return t != null ? t : Instant.EPOCH;
    }

    static Instant instant(String rfc3339) {
        try {
            return rfc3339 == null || rfc3339.isBlank() ? null : Instant.parse(rfc3339);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
