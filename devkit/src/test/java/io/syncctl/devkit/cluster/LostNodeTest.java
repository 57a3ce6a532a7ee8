package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.syncctl.devkit.cluster.ClusterTestSupport.await;
import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --lost-node-image: a pod whose node is lost stays Terminating until it is deleted with grace period 0. */
class LostNodeTest {

    @TempDir
    Path dir;

    @Test
    void aPodOnALostNodeDiesWithoutATraceAndStaysTerminatingUntilForceDeleted() throws Exception {
        Path alive = dir.resolve("alive");
        try (LocalCluster cluster = ClusterTestSupport.start(dir, 2, "--image", "test/lost=sh", "--lost-node-image", "test/lost");
             KubernetesClient client = ClusterTestSupport.clientFor(cluster)) {
            client.resource(new PodBuilder()
                    .withNewMetadata().withName("lost").withNamespace("default").endMetadata()
                    .withNewSpec().withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                    .addNewContainer().withName("main").withImage("test/lost:1.0")
                    .withCommand("sh", "-c", "while true; do date +%s%N > " + alive + "; sleep 0.1; done").endContainer()
                    .endSpec().build()).create();
            awaitPod(client, "lost", phase("Running"));

            Pod terminating = awaitPod(client, "lost", p -> p.getMetadata().getDeletionTimestamp() != null);
            assertEquals("Running", terminating.getStatus().getPhase(), "the status of a lost node's pod no longer changes");
            assertTrue(terminating.getMetadata().getFinalizers().contains(Kubelet.LOST_NODE_FINALIZER));
            String last = Files.readString(alive);
            Thread.sleep(1_500);
            assertEquals(last, Files.readString(alive), "the container still runs");

            // A graceful deletion changes nothing: the node never confirms the end.
            client.pods().withName("lost").delete();
            Thread.sleep(1_500);
            assertNotNull(client.pods().withName("lost").get());
            assertEquals("Running", client.pods().withName("lost").get().getStatus().getPhase());

            // Kubernetes removes a pod deleted with grace period 0 at once.
            client.pods().withName("lost").withGracePeriod(0).delete();
            await(() -> client.pods().withName("lost").get() == null, () -> "the force-deleted pod is still there");

            // Other pods are not on the lost node, and its slot is free.
            client.resource(ClusterTestSupport.shellPod("fine-1", "echo one")).create();
            client.resource(ClusterTestSupport.shellPod("fine-2", "echo two")).create();
            for (String name : List.of("fine-1", "fine-2")) {
                awaitPod(client, name, phase("Succeeded"));
            }
        }
    }
}
