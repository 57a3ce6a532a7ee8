package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.container;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failures the local cluster injects on purpose: a container that never starts, a sidecar that exits at once. */
class FaultsTest {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterTestSupport.start(dir, 4, "--image", "test/never=sh", "--image", "test/lonely=sh",
                "--fault", "never-starts=test/never", "--fault", "sidecar-exits=registry.local/test/lonely:2.0");
        client = ClusterTestSupport.clientFor(cluster);
    }

    @AfterAll
    static void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void aContainerThatNeverStartsEndsAt128WhileTheOthersRun() {
        client.pods().inNamespace("default").resource(twoContainers("never", "test/never:1.0", "main", "echo never printed",
                "test/shell:1.0", "sidecar", "echo the other one ran; sleep 1")).create();
        Pod pod = awaitPod(client, "never", phase("Failed"));
        var main = container(pod, "main").orElseThrow().getState().getTerminated();
        assertEquals(128, main.getExitCode());
        assertEquals(0, container(pod, "sidecar").orElseThrow().getState().getTerminated().getExitCode());
        assertEquals("the other one ran\n", client.pods().inNamespace("default").withName("never").inContainer("sidecar").getLog());
        assertTrue(client.pods().inNamespace("default").withName("never").inContainer("main").getLog()
                .contains("never-starts"), "the log says why");
    }

    @Test
    void theSidecarOfAPodRunningTheImageExitsAtOnce() {
        client.pods().inNamespace("default").resource(twoContainers("lonely", "test/lonely:1.0", "source", "sleep 1; echo source done",
                "test/shell:1.0", "sidecar", "sleep 30; echo never")).create();
        Pod pod = awaitPod(client, "lonely", phase("Failed"));
        assertEquals(1, container(pod, "sidecar").orElseThrow().getState().getTerminated().getExitCode());
        assertEquals(0, container(pod, "source").orElseThrow().getState().getTerminated().getExitCode());
        assertEquals(Faults.SIDECAR_EXIT_MESSAGE + "\n",
                client.pods().inNamespace("default").withName("lonely").inContainer("sidecar").getLog());

        // other pods' sidecars run as usual
        client.pods().inNamespace("default").resource(twoContainers("usual", "test/shell:1.0", "source", "true",
                "test/shell:1.0", "sidecar", "echo sidecar ran")).create();
        Pod usual = awaitPod(client, "usual", phase("Succeeded"));
        assertEquals(0, container(usual, "sidecar").orElseThrow().getState().getTerminated().getExitCode());
    }

    @Test
    void faultsOnTheCommandLine() throws Exception {
        ClusterOptions options = ClusterOptions.parse("--kubeconfig", "/tmp/kc", "--fault", "never-starts=a/b:1",
                "--fault=sidecar-exits=c/d", "--fault", "never-starts=e/f@sha256:00");
        assertEquals(new Faults(Set.of("a/b", "e/f"), Set.of("c/d")), options.faults());
        assertEquals(Faults.NONE, ClusterOptions.parse("--kubeconfig", "/tmp/kc").faults());
        assertEquals("--fault must be never-starts=IMAGE or sidecar-exits=IMAGE, got explode",
                assertThrows(ClusterOptions.UsageException.class,
                        () -> ClusterOptions.parse("--kubeconfig", "/tmp/kc", "--fault", "explode=a/b")).getMessage());
    }

    private static Pod twoContainers(String name, String firstImage, String first, String firstScript,
                                     String secondImage, String second, String secondScript) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName(first).withImage(firstImage).withCommand("sh", "-c", firstScript).endContainer()
                .addNewContainer().withName(second).withImage(secondImage).withCommand("sh", "-c", secondScript).endContainer()
                .endSpec().build();
    }
}
