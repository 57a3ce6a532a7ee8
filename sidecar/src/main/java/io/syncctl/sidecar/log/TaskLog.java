package io.syncctl.sidecar.log;

import io.syncctl.sidecar.ResultStore;
import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.sidecar.SidecarSettings;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The task's lines in {@code task_log}: masked, in order, and batched so a chatty connector costs one
 * round trip per batch instead of one per line. A background thread flushes a few times a second; a full
 * buffer is flushed by the writer itself, which slows a connector that logs faster than the database
 * takes it instead of growing memory. Timestamps strictly increase (by a millisecond at worst, the
 * column's precision) so that ordering by timestamp gives the order the lines were written in.
 *
 * <p>A task keeps at most {@code TASK_LOG_MAX_LINES} lines (a connector logging in a loop must not fill
 * the database); later lines are counted and dropped, and closing the log adds one line saying how many.
 * The sidecar's own ERROR lines (the task's failure) are kept past the cap: there are a handful per task.
 */
public final class TaskLog implements AutoCloseable {
    private static final int BATCH = 500;
    private static final int MAX_BUFFERED = 20_000;
    private static final long FLUSH_MILLIS = 300;

    private final ResultStore results;
    private final SecretMasker masker;
    private final String syncId;
    private final String taskId;
    private final Object lock = new Object();
    private final Object flushLock = new Object();
    private List<LogLine> buffer = new ArrayList<>();
    private long lastMillis;
    private long dropped;
    private final long maxLines;
    private long kept;
    private long overCap;
    private volatile boolean closed;
    private final Thread flusher;

    /** Writes over the sidecar's result connection: one connection per sidecar, a batch at a time. */
    public TaskLog(ResultStore results, SecretMasker masker, String syncId, String taskId) {
        this(results, masker, syncId, taskId, SidecarSettings.Limits.DEFAULTS.taskLogMaxLines());
    }

    public TaskLog(ResultStore results, SecretMasker masker, String syncId, String taskId, long maxLines) {
        this.maxLines = maxLines;
        this.results = results;
        this.masker = masker;
        this.syncId = syncId;
        this.taskId = taskId;
        this.flusher = Thread.ofPlatform().daemon().name("task-log").start(this::flushLoop);
    }

    /** The logger of the sidecar's own lines, as the Go sidecar writes them (the console shows it). */
    public static final String SIDECAR_LOGGER = "jitsu";

    public void ours(LogLine.Level level, String message) {
        add(level, SIDECAR_LOGGER, message);
    }

    public void add(LogLine.Level level, String logger, String message) {
        synchronized (lock) {
            if (kept >= maxLines && !(level == LogLine.Level.ERROR && SIDECAR_LOGGER.equals(logger))) {
                overCap++;
                return; // before masking: a dropped line costs nothing
            }
            kept++;
        }
        String text = masker.mask(message);
        List<LogLine> full = null;
        synchronized (lock) {
            long now = Math.max(System.currentTimeMillis(), lastMillis + 1);
            lastMillis = now;
            if (buffer.size() >= MAX_BUFFERED) {
                dropped++; // the database is not keeping up at all; keep memory bounded
                return;
            }
            buffer.add(new LogLine(level, logger, text, syncId, taskId, Instant.ofEpochMilli(now)));
            if (buffer.size() >= BATCH * 4) {
                full = take();
            }
        }
        if (full != null) {
            write(full);
        }
    }

    public void flush() {
        List<LogLine> lines;
        synchronized (lock) {
            lines = take();
        }
        write(lines);
    }

    private List<LogLine> take() {
        List<LogLine> lines = buffer;
        buffer = new ArrayList<>();
        if (dropped > 0) {
            lines.add(new LogLine(LogLine.Level.WARN, SIDECAR_LOGGER, dropped + " log lines dropped: the database did not keep up",
                    syncId, taskId, Instant.ofEpochMilli(lastMillis)));
            dropped = 0;
        }
        return lines;
    }

    private void write(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        // One writer at a time keeps batches in order.
        synchronized (flushLock) {
            try {
                results.write(c -> {
                    try (PreparedStatement ps = ResultTables.prepareLog(c)) {
                        int n = 0;
                        for (LogLine l : lines) {
                            ResultTables.addLog(ps, l);
                            if (++n % BATCH == 0) {
                                ps.executeBatch();
                            }
                        }
                        ps.executeBatch();
                    }
                    return null;
                });
            } catch (SQLException e) {
                System.err.println("[sidecar] writing task_log failed, " + lines.size() + " lines lost: " + masker.mask(e.getMessage()));
            }
        }
    }

    private void flushLoop() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        synchronized (lock) {
            if (overCap > 0) {
                long now = Math.max(System.currentTimeMillis(), lastMillis + 1);
                lastMillis = now;
                buffer.add(new LogLine(LogLine.Level.WARN, SIDECAR_LOGGER, overCap + " more log lines of this task were dropped: "
                        + "task_log keeps at most " + maxLines + " lines per task (SYNCCTL_TASK_LOG_MAX_LINES)",
                        syncId, taskId, Instant.ofEpochMilli(now)));
                overCap = 0;
            }
        }
        flush();
    }
}
