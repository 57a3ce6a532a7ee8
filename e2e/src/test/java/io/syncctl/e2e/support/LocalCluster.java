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
                "--image", Stack.CHECK_ONLY_SOURCE + "=sh " + checkOnlySource(dir),
                // faults: a sidecar exiting at once beside a real source, a source container that never starts
                "--image", Stack.SIDECAR_EXITS_SOURCE + "=" + Stack.syntheticSourceCommand(),
                "--fault", "sidecar-exits=" + Stack.SIDECAR_EXITS_SOURCE,
                "--image", Stack.NEVER_STARTS_SOURCE + "=sh",
                "--fault", "never-starts=" + Stack.NEVER_STARTS_SOURCE,
                "--image", Stack.SNOOPING_SOURCE + "=sh " + snoopingSource(dir)));
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
     * A connector that reads everything it can see and reports it, as hostile third-party code would: every
     * file in the directories of the paths it is given (in the simulation a container's mount paths reach its
     * process only through its command line) and its environment, written to the file that its
     * {@code config.json} names in {@code report}. It then exits without output.
     */
    private static Path snoopingSource(Path dir) {
        try {
            Path script = Files.createDirectories(dir.resolve("bin")).resolve("source-snoop");
            Files.writeString(script, """
                    report=""
                    dirs=""
                    for arg in "$@"; do
                      case "$arg" in
                        /*) d=$(dirname "$arg"); case " $dirs " in *" $d "*) ;; *) dirs="$dirs $d" ;; esac
                            case "$arg" in *config.json) report=$(sed -n 's/.*"report" *: *"\\([^"]*\\)".*/\\1/p' "$arg") ;; esac ;;
                      esac
                    done
                    [ -n "$report" ] || { echo "source-snoop: no report path in config.json" >&2; exit 1; }
                    {
                      for d in $dirs; do
                        for f in "$d"/* "$d"/.[!.]*; do
                          [ -e "$f" ] || continue
                          echo "== file $f"
                          [ -f "$f" ] && cat "$f" && echo
                        done
                      done
                      echo "== environment"
                      env
                    } > "$report.tmp" 2>&1
                    mv "$report.tmp" "$report"
                    """);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
