package io.syncctl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local single-node cluster simulation (devkit) as one process, shared by every deployment the
 * tests start ({@link Stack#get()}, {@link Stack#console()}), with an informer recording every pod.
 */
final class LocalCluster {
    private final ManagedProcess process;
    private final Path kubeconfig;
    private final PodLog pods;

    private LocalCluster(ManagedProcess process, Path kubeconfig, PodLog pods) {
        this.process = process;
        this.kubeconfig = kubeconfig;
        this.pods = pods;
    }

    static LocalCluster start(Path clusterJar, Path dir, Path logDir, Duration timeout) {
        return start("cluster", clusterJar, dir, logDir, timeout, 8, List.of());
    }

    /**
     * A cluster of its own: process and log name {@code name}, files under {@code dir}, {@code capacity}
     * pods at once, {@code more} arguments (e.g. {@code --lost-node-image}).
     */
    static LocalCluster start(String name, Path clusterJar, Path dir, Path logDir, Duration timeout, int capacity,
                              List<String> more) {
        Path kubeconfig = dir.resolve("kubeconfig");
        List<String> command = new java.util.ArrayList<>(List.of(ManagedProcess.java(), "-jar",
                clusterJar.toString(), "--kubeconfig", kubeconfig.toString(),
                "--work-dir", dir.resolve("cluster").toString(), "--capacity", Integer.toString(capacity),
                "--image", Stack.CHECK_ONLY_SOURCE + "=sh " + checkOnlySource(dir)));
        command.addAll(more);
        ManagedProcess p = ManagedProcess.start(name, command, Map.of(), logDir);
        try {
            Await.until("the local cluster writes " + kubeconfig, timeout, () -> {
                Stack.requireAlive(p);
                return p.logText().contains("local cluster ready");
            });
            return new LocalCluster(p, kubeconfig, PodLog.watch(kubeconfig, Stack.NAMESPACE));
        } catch (RuntimeException | Error e) {
            p.stop(Duration.ofSeconds(20));
            throw e;
        }
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    PodLog pods() {
        return pods;
    }

    void stop() {
        pods.close();
        process.stop(Duration.ofSeconds(20));
    }

    /**
     * An Airbyte source that only answers {@code check}, as a shell script: for tests about many
     * tasks at once, where a JVM per source would only slow the machine down. The sidecar stays real.
     */
    private static Path checkOnlySource(Path dir) {
        try {
            Path script = Files.createDirectories(dir.resolve("bin")).resolve("source-check-ok");
            Files.writeString(script, """
                    case "$1" in
                      check) echo '{"type":"LOG","log":{"level":"INFO","message":"checking"}}'
                             echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
                      *) echo "source-check-ok: only check is supported" >&2; exit 1 ;;
                    esac
                    """);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
