package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Pure functions from container run states to a pod status as a kubelet would write it. */
final class PodStatuses {

    static final String HOST_IP = "127.0.0.1";

    private PodStatuses() {
    }

    /** A pod the scheduler cannot place: Pending with {@code PodScheduled=False/Unschedulable}. */
    static PodStatus unschedulable(String message, Instant now) {
        return new PodStatusBuilder()
                .withPhase("Pending")
                .withConditions(condition("PodScheduled", false, "Unschedulable", message, now))
                .build();
    }

    /** The status of a pod bound to this node, from the states of its containers. */
    static PodStatus of(Instant startTime, Instant now,
                        List<Container> initContainers, Map<String, RunState> initStates,
                        List<Container> containers, Map<String, RunState> states) {
        boolean initFailed = initContainers.stream().anyMatch(c -> failed(initStates.get(c.getName())));
        List<String> notInitialized = names(initContainers, c -> !succeeded(initStates.get(c.getName())));
        List<String> notReady = names(containers, c -> !(states.get(c.getName()) instanceof RunState.Running));
        boolean allTerminated = containers.stream().allMatch(c -> states.get(c.getName()) instanceof RunState.Terminated);
        boolean anyWaiting = containers.stream().anyMatch(c -> states.get(c.getName()) instanceof RunState.Waiting);
        boolean anyFailed = containers.stream().anyMatch(c -> failed(states.get(c.getName())));

        String phase;
        if (initFailed) {
            phase = "Failed";
        } else if (!notInitialized.isEmpty() || anyWaiting) {
            phase = "Pending";
        } else if (allTerminated) {
            phase = anyFailed ? "Failed" : "Succeeded";
        } else {
            phase = "Running";
        }
        boolean completed = phase.equals("Succeeded") || phase.equals("Failed");

        PodCondition initialized = notInitialized.isEmpty()
                ? condition("Initialized", true, null, null, now)
                : condition("Initialized", false, "ContainersNotInitialized", "containers with incomplete status: " + bracketed(notInitialized), now);
        PodCondition containersReady = notReady.isEmpty()
                ? condition("ContainersReady", true, null, null, now)
                : condition("ContainersReady", false, completed ? "PodCompleted" : "ContainersNotReady",
                        completed ? null : "containers with unready status: " + bracketed(notReady), now);
        PodCondition ready = new PodConditionBuilder(containersReady).withType("Ready").build();

        return new PodStatusBuilder()
                .withPhase(phase)
                .withHostIP(HOST_IP)
                .withPodIP(HOST_IP)
                .withStartTime(startTime.toString())
                .withConditions(condition("PodScheduled", true, null, null, startTime), initialized, containersReady, ready)
                .withInitContainerStatuses(containerStatuses(initContainers, initStates))
                .withContainerStatuses(containerStatuses(containers, states))
                .build();
    }

    /**
     * {@code next} with each condition's {@code lastTransitionTime} taken from {@code previous}
     * when its status did not change: the time says when it last flipped, not when it was written.
     */
    static PodStatus keepTransitionTimes(PodStatus previous, PodStatus next) {
        if (previous == null) {
            return next;
        }
        List<PodCondition> conditions = next.getConditions().stream().map(condition -> previous.getConditions().stream()
                .filter(old -> old.getType().equals(condition.getType()) && old.getStatus().equals(condition.getStatus()))
                .findFirst()
                .map(old -> new PodConditionBuilder(condition).withLastTransitionTime(old.getLastTransitionTime()).build())
                .orElse(condition)).toList();
        return new PodStatusBuilder(next).withConditions(conditions).build();
    }

    private static List<ContainerStatus> containerStatuses(List<Container> containers, Map<String, RunState> states) {
        return containers.stream().map(c -> containerStatus(c, states.getOrDefault(c.getName(), RunState.waiting("PodInitializing")))).toList();
    }

    private static ContainerStatus containerStatus(Container container, RunState state) {
        Long pid = switch (state) {
            case RunState.Running r -> r.pid();
            case RunState.Terminated t -> t.pid();
            case RunState.Waiting w -> null;
        };
        return new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID(pid == null ? "" : "local://" + container.getImage())
                .withContainerID(pid == null ? null : "local://" + pid)
                .withReady(state instanceof RunState.Running)
                .withStarted(state instanceof RunState.Running)
                .withRestartCount(0)
                .withState(containerState(state))
                .build();
    }

    private static ContainerState containerState(RunState state) {
        return switch (state) {
            case RunState.Waiting w -> new ContainerStateBuilder().withNewWaiting()
                    .withReason(w.reason()).withMessage(w.message()).endWaiting().build();
            case RunState.Running r -> new ContainerStateBuilder().withNewRunning()
                    .withStartedAt(r.startedAt().toString()).endRunning().build();
            case RunState.Terminated t -> new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(t.exitCode()).withReason(t.reason())
                    .withStartedAt(t.startedAt().toString()).withFinishedAt(t.finishedAt().toString())
                    .withContainerID("local://" + t.pid()).endTerminated().build();
        };
    }

    private static boolean succeeded(RunState state) {
        return state instanceof RunState.Terminated t && t.exitCode() == 0;
    }

    private static boolean failed(RunState state) {
        return state instanceof RunState.Terminated t && t.exitCode() != 0;
    }

    private static List<String> names(List<Container> containers, Predicate<Container> filter) {
        return containers.stream().filter(filter).map(Container::getName).toList();
    }

    /** Kubernetes prints name lists Go-style: {@code [a b]}. */
    static String bracketed(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static PodCondition condition(String type, boolean status, String reason, String message, Instant at) {
        return new PodConditionBuilder()
                .withType(type)
                .withStatus(status ? "True" : "False")
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(at.toString())
                .build();
    }
}
