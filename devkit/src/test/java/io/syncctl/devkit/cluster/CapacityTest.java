package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static io.syncctl.devkit.cluster.ClusterTestSupport.shellPod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapacityTest {

    @TempDir
    Path dir;

    @Test
    void podsBeyondTheNodeCapacityWaitPendingUntilASlotFrees() throws Exception {
        Path go = dir.resolve("go");
        try (LocalCluster cluster = ClusterTestSupport.start(dir, 1); KubernetesClient client = ClusterTestSupport.clientFor(cluster)) {
            client.resource(shellPod("first", "while [ ! -f " + go + " ]; do sleep 0.1; done")).create();
            awaitPod(client, "first", phase("Running"));
            client.resource(shellPod("second", "echo second ran")).create();

            Pod waiting = awaitPod(client, "second", p -> p.getStatus() != null && !p.getStatus().getConditions().isEmpty());
            assertEquals("Pending", waiting.getStatus().getPhase());
            PodCondition scheduled = waiting.getStatus().getConditions().getFirst();
            assertEquals("Unschedulable", scheduled.getReason());
            assertTrue(scheduled.getMessage().contains("Too many pods"), scheduled.getMessage());

            Files.createFile(go);
            awaitPod(client, "first", phase("Succeeded"));
            awaitPod(client, "second", phase("Succeeded"));
            assertEquals("second ran\n", client.pods().withName("second").getLog());

            // A deleted pod frees its slot too.
            client.resource(shellPod("third", "sleep 60")).create();
            awaitPod(client, "third", phase("Running"));
            client.resource(shellPod("fourth", "echo fourth ran")).create();
            awaitPod(client, "fourth", p -> p.getStatus() != null && "Unschedulable".equals(p.getStatus().getConditions().getFirst().getReason()));
            client.pods().withName("third").delete();
            awaitPod(client, "fourth", phase("Succeeded"));
        }
    }
}
