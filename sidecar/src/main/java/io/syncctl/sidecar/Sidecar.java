package io.syncctl.sidecar;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.shared.task.TaskType;
import io.syncctl.sidecar.command.CommandHandler;
import io.syncctl.sidecar.command.Ending;
import io.syncctl.sidecar.command.TaskContext;
import io.syncctl.sidecar.log.LogLevels;
import io.syncctl.sidecar.pipe.ConnectorPipes;
import io.syncctl.sidecar.pipe.LineReader;
import io.syncctl.sidecar.record.RecordScanner;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Watches one connector run: reads its stdout and stderr pipes concurrently until the connector closes
 * both, hands every line to the command's {@link CommandHandler} one at a time, and ends the run exactly
 * once, whichever comes first: end of output, idle timeout, a connector that never opened its pipes
 * within the start timeout, or SIGTERM.
 */
public final class Sidecar {
    /** SIGTERM: how long to wait for the line being handled before writing CANCELLED anyway. */
    private static final long CANCEL_WAIT_MILLIS = 5_000;
    /** SIGTERM while the run is already ending: how long the hook waits for that ending (well inside the grace period). */
    private static final long FINISH_WAIT_MILLIS = 20_000;
    private static final int MAX_LOG_CHARS = 100_000;
    /** The console's task table must see progress at least every 15 s while records flow (CONTRACT section 2). */
    static final Duration MAX_HEARTBEAT = Duration.ofSeconds(10);

    private final TaskContext ctx;
    private final CommandHandler handler;
    /** Opened by {@link Main} before anything else; null: opened when the run starts. */
    private final ConnectorPipes openedPipes;
    private final MessageParser parser = new MessageParser();
    private final RecordScanner scanner = new RecordScanner();
    /** Off only to compare the fast path with the general one (-Dsyncctl.sidecar.scanRecords=false). */
    private final boolean scanRecords = !"false".equals(System.getProperty("syncctl.sidecar.scanRecords"));
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean finished = new AtomicBoolean();
    /**
     * A read's output that ends is watched this much longer for a SIGTERM (a few ms behind it when the
     * connector died of the same signal), so an eviction is not mistaken for a connector that quit.
     */
    private static final long SIGTERM_SETTLE_MILLIS = 500;
    /** Counted down when SIGTERM arrives. */
    private final CountDownLatch signalled = new CountDownLatch(1);
    /** Open until the run's ending is written. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch pipesClosed = new CountDownLatch(2);
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean midMessage;
    private volatile String pipeProblem;

    public Sidecar(TaskContext ctx, CommandHandler handler) {
        this(ctx, handler, null);
    }

    public Sidecar(TaskContext ctx, CommandHandler handler, ConnectorPipes openedPipes) {
        this.ctx = ctx;
        this.handler = handler;
        this.openedPipes = openedPipes;
    }

    /** Runs until the connector is done; returns the exit code. */
    public int run() {
        SidecarSettings env = ctx.env();
        ConnectorPipes pipes = openedPipes != null && openedPipes.at(env.stdoutPipe(), env.stderrPipe())
                ? openedPipes : ConnectorPipes.open(env.stdoutPipe(), env.stderrPipe());
        read(pipes::stdout, env.stdoutPipe(), "STDOUT_PIPE_FILE", true);
        read(pipes::stderr, env.stderrPipe(), "STDERR_PIPE_FILE", false);
        String setupFailure = handler.setupFailure();
        if (setupFailure != null) {
            // Nothing the connector sends could be used: end now, not after it ran. Its pipes close with
            // this process, so it stops at its next write.
            return finish(new Ending.Broken(setupFailure));
        }
        Duration heartbeat = env.heartbeat().compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT : env.heartbeat();
        Ending ending = waitForEnd(pipes, env.idleTimeout(), env.startTimeout(), heartbeat);
        if (ending instanceof Ending.EndOfOutput && env.command() == TaskType.READ
                && awaitQuietly(signalled, SIGTERM_SETTLE_MILLIS)) {
            // The pod's SIGTERM reaches the connector and the sidecar at once: when the connector dies of
            // it first, its output ends a moment before our hook runs. Say why it ended, as the hook does.
            ending = whyTerminated();
        }
        return finish(ending);
    }

    /**
     * SIGTERM (the shutdown hook calls this): CANCELLED when a {@code /cancel} asked for it (the api or
     * worker records the request before the pod is deleted), else stopped by Kubernetes, a failure.
     */
    public void terminated() {
        signalled.countDown();
        finish(finished.get() ? new Ending.Cancelled() : whyTerminated());
    }

    /**
     * Whether a cancel was requested, from the task row ({@code syncctl_task.cancel_requested_at}); a
     * read's handler also sees the api's CANCELLED on its row. Unknown (no task id, the internal schema
     * unreadable, the database gone) counts as not requested: the status written is then "stopped",
     * and whoever asked to cancel had it recorded already.
     */
    private Ending whyTerminated() {
        java.util.UUID id = ctx.env().ref().id();
        if (id != null) {
            try {
                if (ctx.results().write(c -> io.syncctl.shared.task.TaskStore.cancelRequested(c, id))) {
                    return new Ending.Cancelled();
                }
                if (ctx.results().write(c -> io.syncctl.shared.task.TaskStore.ended(c, id))) {
                    return new Ending.EndedByWorker();
                }
            } catch (java.sql.SQLException | RuntimeException e) {
                ctx.stderr("could not learn whether the task was cancelled: " + e.getMessage());
            }
        }
        return new Ending.Stopped();
    }

    private Ending waitForEnd(ConnectorPipes pipes, Duration idle, Duration start, Duration heartbeat) {
        long beat = System.nanoTime();
        try {
            while (true) {
                if (pipesClosed.await(Math.min(1000, heartbeat.toMillis()), TimeUnit.MILLISECONDS)) {
                    // a pipe that broke (a refused line) is not a clean end, however quickly the other closed
                    return pipeProblem != null ? new Ending.Broken(pipeProblem) : new Ending.EndOfOutput(midMessage);
                }
                if (pipeProblem != null) {
                    return new Ending.Broken(pipeProblem);
                }
                long now = System.nanoTime();
                // the connector's shell opens its pipes before anything else: not open by now, it never started
                if (!pipes.anyOpened() && now - pipes.openedAtNanos() > start.toNanos()) {
                    return new Ending.NotStarted(start);
                }
                // a line being handled (e.g. a checkpoint committing to the destination) is not idleness
                if (now - lastActivity > idle.toNanos() && !lock.isLocked()) {
                    return new Ending.IdleTimeout(idle);
                }
                if (now - beat >= heartbeat.toNanos()) {
                    handler.heartbeat();
                    beat = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ending.Cancelled();
        }
    }

    private int finish(Ending ending) {
        if (!finished.compareAndSet(false, true)) {
            // Another thread is ending the run. When that is the main thread (the pod's SIGTERM closed the
            // connector's pipes first) and this is the SIGTERM hook, returning now would let the JVM halt
            // before the ending is written: wait for it, within the pod's grace period.
            awaitQuietly(ended, FINISH_WAIT_MILLIS);
            return 0;
        }
        try {
            return finishOnce(ending);
        } finally {
            ended.countDown();
        }
    }

    private int finishOnce(Ending ending) {
        boolean locked = false;
        try {
            locked = lock.tryLock(CANCEL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            return handler.finish(ending);
        } catch (RuntimeException e) {
            ctx.stderr("finishing the task failed: " + e);
            return 2;
        } finally {
            if (locked) {
                lock.unlock();
            }
            ctx.log().close();
            ctx.results().close();
        }
    }

    /** Opens one pipe: blocks until the connector has opened its end. */
    private interface PipeOpener {
        InputStream open() throws IOException, InterruptedException;
    }

    private void read(PipeOpener opener, Path path, String variable, boolean stdout) {
        Thread.ofPlatform().daemon().name(stdout ? "stdout" : "stderr").start(() -> {
            try (InputStream in = opener.open()) {
                LineReader lines = new LineReader(in, ctx.env().limits().maxLineBytes());
                while (lines.next()) {
                    lastActivity = System.nanoTime();
                    lock.lock();
                    try {
                        if (finished.get()) {
                            return;
                        }
                        boolean fastRecord = false;
                        if (stdout) {
                            fastRecord = onStdout(lines);
                        } else {
                            connectorLine(text(lines.bytes(), lines.length()));
                        }
                        if (!fastRecord) {
                            // Time spent handling a line (a checkpoint committing to the destination) is not
                            // idleness. Scanned records never commit, and skip the clock read.
                            lastActivity = System.nanoTime();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            } catch (FileNotFoundException e) {
                pipeProblem = "cannot open " + variable + " " + path + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (LineReader.LineTooLongException e) {
                pipeProblem = "the connector's " + (stdout ? "stdout" : "stderr") + " failed: " + e.getMessage();
            } catch (IOException e) {
                ctx.warn("reading the connector's " + (stdout ? "stdout" : "stderr") + " failed: " + e.getMessage());
            } catch (RuntimeException e) {
                pipeProblem = "the sidecar failed handling the connector's output: " + e;
            } finally {
                pipesClosed.countDown();
            }
        });
    }

    /** Returns whether the line was a record taken by the scanner. */
    private boolean onStdout(LineReader line) {
        if (scanRecords && scanner.scan(line.bytes(), line.length())) {
            handler.onRecord(scanner.record(), scanner.fields());
            return true;
        }
        AirbyteMessage m;
        try {
            m = parser.parse(line.bytes(), line.length());
        } catch (MessageParser.NotAMessage e) {
            String text = text(line.bytes(), line.length());
            if (line.unterminated() && text.stripLeading().startsWith("{")) {
                midMessage = true;
                ctx.warn("connector output ended in the middle of a message (" + line.length() + " bytes dropped)");
            } else {
                connectorLine(text);
            }
            return false;
        }
        switch (m) {
            case AirbyteMessage.Log l -> connectorLog(LogLevels.normalise(l.level()),
                    l.stackTrace() == null ? l.message() : l.message() + "\n" + l.stackTrace());
            case AirbyteMessage.TraceError t -> {
                ctx.log().add(io.syncctl.shared.results.LogLine.Level.ERROR, ctx.env().connectorLogger(),
                        (t.stream() == null ? "" : t.stream().key() + ": ") + t.message()
                                + (t.internalMessage() == null ? "" : " (" + t.internalMessage() + ")"));
                handler.onMessage(t);
            }
            default -> handler.onMessage(m);
        }
        return false;
    }

    private void connectorLine(String text) {
        connectorLog(LogLevels.ofPlainLine(text), text);
    }

    private void connectorLog(String level, String text) {
        ctx.log().add(LogLevels.toTaskLog(level), ctx.env().connectorLogger(), text);
        if (LogLevels.isFailure(level)) {
            handler.onConnectorError(ctx.masker().mask(text));
        }
    }

    private static String text(byte[] b, int len) {
        String s = new String(b, 0, len, StandardCharsets.UTF_8);
        return s.length() > MAX_LOG_CHARS ? s.substring(0, MAX_LOG_CHARS) + "... (" + len + " bytes)" : s;
    }

    private static boolean awaitQuietly(CountDownLatch latch, long millis) {
        try {
            return latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
