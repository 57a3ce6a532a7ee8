package io.syncctl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One product process started by the tests (local cluster, api, worker), its output in a log file
 * under target/ for diagnosis. Stopping it takes its whole process tree along: the local cluster's
 * pods are its descendants, and they must not outlive a test run.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with only {@code env} on top of a clean environment (no SYNCCTL_* of the caller). */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logDir) {
        return start(name, command, env, logDir, null);
    }

    /** As {@link #start(String, List, Map, Path)}, in working directory {@code dir} (null: this one). */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path logDir, Path dir) {
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().keySet().removeIf(k -> k.startsWith("SYNCCTL_"));
            pb.environment().putAll(env);
            Files.writeString(log, "---- " + name + ": " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new ManagedProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** The java executable running these tests (a JDK 21+, as the build requires). */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGKILL to the process and everything it started, at once: a crash, as the tests mean it. */
    public void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        waitFor(Duration.ofSeconds(10));
    }

    /**
     * SIGTERM, as an operator stops it; whatever of its tree is still alive after {@code grace} gets
     * SIGKILL. The tree is taken before the signal: orphans re-parented to init are still found.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        process.destroy();
        if (!waitFor(grace)) {
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        waitFor(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private List<ProcessHandle> tree() {
        // Descendants first, so a parent never re-spawns what was just killed.
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        return tree;
    }

    private boolean waitFor(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + log + ")";
    }
}
