package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.syncctl.devkit.cluster.ClusterTestSupport.await;
import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static io.syncctl.devkit.cluster.ClusterTestSupport.shellPod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command as users run it: a separate JVM, stopped with SIGTERM (what Ctrl-C sends the demo's children). */
class LocalClusterProcessTest {

    @TempDir
    Path dir;

    @Test
    void theCommandWritesAKubeconfigRunsPodsAndStopsThemWhenItIsStopped() throws Exception {
        Path kubeconfig = dir.resolve("kc");
        Path marks = Files.createDirectories(dir.resolve("marks"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process cluster = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LocalCluster.class.getName(), "--kubeconfig", kubeconfig.toString(), "--image", "test/shell=sh"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("cluster.log").toFile())
                .start();
        try {
            await(() -> Files.exists(kubeconfig), () -> "no kubeconfig written; " + read(dir.resolve("cluster.log")));
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
                String script = "trap 'echo term > " + marks.resolve("term") + "; exit 0' TERM; "
                        + "echo $$$$ > " + marks.resolve("pid") + "; while true; do sleep 0.1; done";
                client.resource(new PodBuilder(shellPod("long", script)).build()).create();
                awaitPod(client, "long", phase("Running"));
                await(() -> Files.exists(marks.resolve("pid")), () -> "the container never started");
            }
            long pid = Long.parseLong(Files.readString(marks.resolve("pid")).trim());

            cluster.destroy(); // SIGTERM

            assertTrue(cluster.waitFor(30, TimeUnit.SECONDS), "the local cluster did not stop");
            assertEquals("term\n", Files.readString(marks.resolve("term")));
            await(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), () -> "the container outlived the cluster");
            assertTrue(read(dir.resolve("cluster.log")).contains("local cluster ready: API http://127.0.0.1:"));
        } finally {
            cluster.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return "";
        }
    }
}
