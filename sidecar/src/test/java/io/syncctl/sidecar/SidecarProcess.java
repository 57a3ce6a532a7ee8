package io.syncctl.sidecar;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar as a separate process ({@code java -cp <this class path> io.syncctl.sidecar.Main}) reading
 * two real FIFOs that the test writes into, as the connector would.
 */
final class SidecarProcess implements AutoCloseable {
    final Path dir;
    final Path configDir;
    final Path stdoutPipe;
    final Path stderrPipe;
    final Path output;
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;
    private Process source;
    private OutputStream stdout;
    private OutputStream stderr;

    SidecarProcess(String command, TestDb db) throws IOException {
        dir = Files.createTempDirectory("sidecar-test");
        configDir = Files.createDirectories(dir.resolve("config"));
        stdoutPipe = dir.resolve("stdout");
        stderrPipe = dir.resolve("stderr");
        output = dir.resolve("sidecar.out");
        mkfifo(stdoutPipe);
        mkfifo(stderrPipe);
        env.put("COMMAND", command);
        env.put("STDOUT_PIPE_FILE", stdoutPipe.toString());
        env.put("STDERR_PIPE_FILE", stderrPipe.toString());
        env.put("CONFIG_DIR", configDir.toString());
        env.put("DATABASE_URL", db.databaseUrl());
        env.put("INTERNAL_SCHEMA", db.internal);
        env.put("PACKAGE", "syncctl/source-test");
        env.put("PACKAGE_VERSION", "1.0");
    }

    SidecarProcess env(String name, String value) {
        env.put(name, value);
        return this;
    }

    SidecarProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    SidecarProcess config(String file, String json) throws IOException {
        Files.writeString(configDir.resolve(file), json);
        return this;
    }

    /** Starts the process and opens both pipes for writing (blocks until the sidecar opened them to read). */
    SidecarProcess start() throws IOException {
        startProcess();
        stdout = new FileOutputStream(stdoutPipe.toFile());
        stderr = new FileOutputStream(stderrPipe.toFile());
        return this;
    }

    /**
     * Starts the sidecar, then the synthetic source (devkit) as the connector with its stdout and stderr
     * redirected into the FIFOs, as the pod's source container does. Returns the source process.
     */
    Process startWithSyntheticSource(String... sourceArgs) throws IOException {
        startProcess();
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.syncctl.devkit.source.SourceSyntheticMain"));
        cmd.addAll(List.of(sourceArgs));
        source = new ProcessBuilder(cmd).directory(configDir.toFile())
                .redirectOutput(stdoutPipe.toFile()).redirectError(stderrPipe.toFile()).start();
        return source;
    }

    /** Starts the process without opening the pipes: a connector that never starts writing. */
    SidecarProcess startProcess() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        process = pb.start();
        return this;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    SidecarProcess out(String... lines) throws IOException {
        for (String l : lines) {
            stdout.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        stdout.flush();
        return this;
    }

    SidecarProcess rawOut(String text) throws IOException {
        stdout.write(text.getBytes(StandardCharsets.UTF_8));
        stdout.flush();
        return this;
    }

    SidecarProcess err(String... lines) throws IOException {
        for (String l : lines) {
            stderr.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        stderr.flush();
        return this;
    }

    /** The connector exits: both pipes close. */
    SidecarProcess closePipes() throws IOException {
        stdout.close();
        stderr.close();
        return this;
    }

    /** Waits for the sidecar to exit and returns its exit code. */
    int exitCode() throws Exception {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sidecar did not exit; its output:\n" + processOutput());
        }
        return process.exitValue();
    }

    /** SIGKILL: the sidecar dies at once (OOM kill, node failure), whatever it is doing. */
    void sigkill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Kubernetes does when it deletes the pod. */
    void sigterm() {
        process.destroy();
    }

    String processOutput() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    @Override
    public void close() throws IOException {
        for (Process p : new Process[]{source, process}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (OutputStream s : new OutputStream[]{stdout, stderr}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the reader is gone
                }
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void mkfifo(Path p) throws IOException {
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
            if (mk.waitFor() != 0) {
                throw new IOException("mkfifo failed for " + p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
