package io.syncctl.devkit.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterOptionsTest {

    @Test
    void defaultsNeedOnlyTheKubeconfig() throws Exception {
        ClusterOptions options = ClusterOptions.parse("--kubeconfig", "/tmp/kc");

        assertEquals(Path.of("/tmp/kc"), options.kubeconfig());
        assertEquals(0, options.port());
        assertEquals(8, options.capacity());
        assertEquals(Optional.empty(), options.workDir());
        assertEquals(Map.of(), options.images());
        assertEquals(ClusterOptions.defaultNodeLabels(), options.nodeLabels());
    }

    @Test
    void everyOptionInBothSpellings() throws Exception {
        ClusterOptions options = ClusterOptions.parse("--kubeconfig=/tmp/kc", "--port", "6443", "--capacity=2", "--work-dir", "/tmp/w",
                "--image", "syncctl/sidecar=/opt/sidecar --flag", "--image=busybox=sh", "--node-label", "disktype=ssd");

        assertEquals(6443, options.port());
        assertEquals(2, options.capacity());
        assertEquals(Optional.of(Path.of("/tmp/w")), options.workDir());
        assertEquals(Map.of("syncctl/sidecar", "/opt/sidecar --flag", "busybox", "sh"), options.images());
        assertEquals("ssd", options.nodeLabels().get("disktype"));
        assertEquals("linux", options.nodeLabels().get("kubernetes.io/os"));
    }

    @Test
    void badCommandLinesGetAMessageNamingTheProblem() {
        assertEquals("--kubeconfig FILE is required (see --help)", message());
        assertEquals("--capacity must be a number, got many", message("--kubeconfig", "k", "--capacity", "many"));
        assertEquals("--capacity must be between 1 and 10000, got 0", message("--kubeconfig", "k", "--capacity", "0"));
        assertEquals("--image must be NAME=VALUE, got busybox", message("--kubeconfig", "k", "--image", "busybox"));
        assertEquals("--port needs a value", message("--kubeconfig", "k", "--port"));
        assertEquals("unknown option: --nodes (see --help)", message("--kubeconfig", "k", "--nodes", "3"));
        assertEquals(ClusterOptions.USAGE, message("--help"));
    }

    private static String message(String... args) {
        return assertThrows(ClusterOptions.UsageException.class, () -> ClusterOptions.parse(args)).getMessage();
    }
}
