package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PodStatusesTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<Container> INIT = List.of(container("init"));
    private static final List<Container> APPS = List.of(container("source"), container("sidecar"));
    private static final RunState DONE = new RunState.Terminated(0, T, T, 1);
    private static final RunState RUNNING = new RunState.Running(T, 2);

    @Test
    void phasesFollowTheContainers() {
        assertEquals("Pending", phase(Map.of(), Map.of()));
        assertEquals("Pending", phase(Map.of("init", RUNNING), Map.of()));
        assertEquals("Failed", phase(Map.of("init", new RunState.Terminated(1, T, T, 1)), Map.of()));
        assertEquals("Pending", phase(Map.of("init", DONE), Map.of("source", new RunState.Waiting("ErrImagePull", "m"), "sidecar", RUNNING)));
        assertEquals("Running", phase(Map.of("init", DONE), Map.of("source", DONE, "sidecar", RUNNING)));
        assertEquals("Succeeded", phase(Map.of("init", DONE), Map.of("source", DONE, "sidecar", DONE)));
        assertEquals("Failed", phase(Map.of("init", DONE), Map.of("source", new RunState.Terminated(137, T, T, 1), "sidecar", DONE)));
    }

    @Test
    void conditionsNameTheContainersNotDone() {
        PodStatus status = PodStatuses.of(T, T, INIT, Map.of("init", RUNNING), APPS, Map.of());

        assertEquals("containers with incomplete status: [init]", status.getConditions().get(1).getMessage());
        assertEquals("containers with unready status: [source sidecar]", status.getConditions().get(2).getMessage());
        assertEquals("PodInitializing", status.getContainerStatuses().getFirst().getState().getWaiting().getReason());
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItFlips() {
        Instant later = T.plusSeconds(5);
        PodStatus before = PodStatuses.of(T, T, INIT, Map.of("init", RUNNING), APPS, Map.of());
        PodStatus after = PodStatuses.keepTransitionTimes(before,
                PodStatuses.of(T, later, INIT, Map.of("init", DONE), APPS, Map.of("source", RUNNING, "sidecar", RUNNING)));

        assertEquals(T.toString(), after.getConditions().get(0).getLastTransitionTime(), "PodScheduled stayed True");
        assertEquals(later.toString(), after.getConditions().get(1).getLastTransitionTime(), "Initialized became True");
    }

    private static String phase(Map<String, RunState> init, Map<String, RunState> apps) {
        return PodStatuses.of(T, T, INIT, init, APPS, apps).getPhase();
    }

    private static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage("image/" + name).build();
    }
}
