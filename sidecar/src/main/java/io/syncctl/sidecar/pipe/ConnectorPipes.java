package io.syncctl.sidecar.pipe;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The connector's two pipes, opened for reading in the background from the sidecar's first moment.
 *
 * <p>Opening a FIFO blocks until the other side opens it too. The connector's shell opens its end
 * before the connector runs, so a sidecar that failed before opening its end (bad settings, database
 * unreachable) would leave the connector blocked: opening first means the connector gets its pipes
 * whatever the sidecar does next, and a write after the sidecar died fails (EPIPE) instead of
 * blocking. {@link #anyOpened()} tells whether the connector ever started.
 */
public final class ConnectorPipes {
    private final Path stdoutPath;
    private final Path stderrPath;
    private final CompletableFuture<InputStream> stdout;
    private final CompletableFuture<InputStream> stderr;
    private final long openedAtNanos = System.nanoTime();

    private ConnectorPipes(Path stdoutPath, Path stderrPath) {
        this.stdoutPath = stdoutPath;
        this.stderrPath = stderrPath;
        this.stdout = open(stdoutPath, "stdout");
        this.stderr = open(stderrPath, "stderr");
    }

    /** Starts opening both pipes; a null path gives a pipe that never opens (the settings then report it). */
    public static ConnectorPipes open(Path stdout, Path stderr) {
        return new ConnectorPipes(stdout, stderr);
    }

    /** From the raw environment, before anything is parsed: {@code STDOUT_PIPE_FILE}, {@code STDERR_PIPE_FILE}. */
    public static ConnectorPipes fromEnvironment(java.util.Map<String, String> env) {
        return open(path(env.get("STDOUT_PIPE_FILE")), path(env.get("STDERR_PIPE_FILE")));
    }

    /** Whether these are the pipes at these paths (the settings may name others than the raw environment did). */
    public boolean at(Path stdoutPath, Path stderrPath) {
        return stdoutPath.equals(this.stdoutPath) && stderrPath.equals(this.stderrPath);
    }

    /** Blocks until the connector opened its stdout; throws the open's failure (e.g. FileNotFoundException). */
    public InputStream stdout() throws IOException, InterruptedException {
        return await(stdout);
    }

    public InputStream stderr() throws IOException, InterruptedException {
        return await(stderr);
    }

    /** Whether the connector opened either pipe (so it started), or an open failed (a problem to report, not a wait). */
    public boolean anyOpened() {
        return stdout.isDone() || stderr.isDone();
    }

    /** Nanoseconds ({@link System#nanoTime()}) at which the opening began. */
    public long openedAtNanos() {
        return openedAtNanos;
    }

    private static CompletableFuture<InputStream> open(Path path, String name) {
        CompletableFuture<InputStream> future = new CompletableFuture<>();
        if (path == null) {
            return future;
        }
        Thread.ofPlatform().daemon().name("open-" + name).start(() -> {
            try {
                future.complete(new FileInputStream(path.toFile()));
            } catch (IOException | RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private static InputStream await(CompletableFuture<InputStream> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static Path path(String value) {
        try {
            return value == null || value.isBlank() ? null : Path.of(value.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
