package io.syncctl.sidecar.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.sidecar.command.CommandHandler;
import io.syncctl.sidecar.command.Ending;
import io.syncctl.sidecar.command.TaskContext;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.record.RecordFields;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read command (CONTRACT section 4): routes records to the destination stream by stream, turns STATE
 * messages into checkpoints (commit, then store the state), tracks per-stream statistics and failures,
 * and writes the task's final status.
 */
public final class ReadSession implements CommandHandler {
    static final String GLOBAL_STATE = "_GLOBAL_STATE";
    static final String LEGACY_STATE = "_LEGACY_STATE";

    private final TaskContext ctx;
    private final Destination destination;
    private final Map<String, StreamRun> streams = new LinkedHashMap<>();
    private final Set<String> unknownStreams = new HashSet<>();
    private final AtomicLong records = new AtomicLong();
    private final long startedNanos = System.nanoTime();
    /** Why the whole task cannot succeed (bad input, no destination, an error outside any stream). */
    private String taskError;
    private String firstError;
    private StreamRun current;
    private StreamDescriptor lastDescriptor;
    private StreamRun lastResolved;

    /**
     * @param catalog     the configured catalog's streams, or null when it could not be read
     * @param destination the destination, or null when it could not be created
     * @param setupError  why catalog or destination is missing
     */
    public ReadSession(TaskContext ctx, Map<String, ConfiguredStream> catalog, PriorState prior,
                       Destination destination, String setupError) {
        this.ctx = ctx;
        this.destination = destination;
        if (catalog != null) {
            boolean fullSync = ctx.env().options().fullSync();
            for (ConfiguredStream s : catalog.values()) {
                boolean replace = fullSync || !s.incremental() || !prior.has(s.descriptor());
                streams.put(s.descriptor().key(), new StreamRun(s, replace));
            }
        }
        if (setupError != null) {
            taskError(ctx.masker().mask(setupError));
        }
    }

    @Override
    public void onMessage(AirbyteMessage message) {
        switch (message) {
            case AirbyteMessage.Record r -> record(r, null);
            case AirbyteMessage.State s -> state(s);
            case AirbyteMessage.TraceError t -> {
                String msg = ctx.masker().mask(t.message() == null ? "connector reported an error" : t.message());
                StreamRun run = t.stream() != null ? resolve(t.stream()) : current;
                if (run != null) {
                    fail(run, msg);
                } else {
                    taskError(msg);
                }
            }
            case AirbyteMessage.StreamStatus s -> streamStatus(s);
            case AirbyteMessage.Control c -> ctx.info("connector sent a CONTROL message (" + c.type()
                    + "); the sidecar does not update stored connector configs");
            case AirbyteMessage.Estimate e -> ctx.debug("estimate " + e.stream() + ": " + e.rowEstimate() + " rows");
            default -> {
                // SPEC, CATALOG, CONNECTION_STATUS and unknown types carry nothing for a read
            }
        }
    }

    @Override
    public void onConnectorError(String message) {
        if (current != null) {
            fail(current, message);
        } else {
            taskError(message);
        }
    }

    @Override
    public void onRecord(AirbyteMessage.Record record, RecordFields fields) {
        record(record, fields);
    }

    /** {@code fields}: the data's fields when the line scanner found them, else null. */
    private void record(AirbyteMessage.Record r, RecordFields fields) {
        StreamRun run = resolve(r.stream());
        if (run == null) {
            if (unknownStreams.add(r.stream().key())) {
                ctx.warn("records of stream " + r.stream().key() + " ignored: it is not in the configured catalog");
            }
            return;
        }
        current = run;
        run.seen = true;
        run.events++;
        run.bytes += r.data().length();
        records.incrementAndGet();
        if (run.failed) {
            return;
        }
        if (run.done) {
            run.done = false; // more records after COMPLETE: a new chunk that appends
        }
        try {
            writer(run).write(r, fields);
        } catch (Exception e) {
            fail(run, "writing to the destination failed: " + message(e));
        }
    }

    private void state(AirbyteMessage.State s) {
        String key;
        if (s.type() == AirbyteMessage.StateType.STREAM) {
            StreamRun run = resolve(s.stream());
            key = run != null ? run.key() : s.stream().key();
            if (run != null) {
                run.seen = true;
                if (run.failed) {
                    ctx.warn("state of stream " + key + " not stored: the stream failed");
                    return;
                }
                if (!checkpoint(run)) {
                    return;
                }
            }
        } else {
            key = s.type() == AirbyteMessage.StateType.GLOBAL ? GLOBAL_STATE : LEGACY_STATE;
            for (StreamRun run : streams.values()) {
                if (run.writer != null && !run.failed) {
                    checkpoint(run);
                }
            }
            List<String> failed = streams.values().stream().filter(r -> r.failed).map(StreamRun::key).toList();
            if (!failed.isEmpty()) {
                ctx.warn(key + " not stored: streams " + failed + " failed");
                return;
            }
        }
        try {
            String json = MessageParser.mapper().writeValueAsString(s.stored());
            ctx.results().write(c -> {
                ResultTables.stateSaved(c, ctx.env().syncId(), key, json);
                return null;
            });
            ctx.debug("state of " + key + " stored");
        } catch (SQLException | JsonProcessingException e) {
            // Data is committed but its state is not: the next run repeats these records, which is safe.
            ctx.error("storing the state of " + key + " failed: " + message(e));
        }
    }

    private void streamStatus(AirbyteMessage.StreamStatus s) {
        StreamRun run = resolve(s.stream());
        if (run == null) {
            return;
        }
        run.seen = true;
        switch (s.status()) {
            case "STARTED", "RUNNING" -> {
                current = run;
                run.announced = true;
            }
            case "COMPLETE" -> complete(run);
            case "INCOMPLETE" -> fail(run, "connector reported the stream INCOMPLETE");
            default -> {
            }
        }
    }

    /**
     * The catalog stream a message names: by {@code namespace.name}, else by name alone when exactly one
     * catalog stream has it (connectors differ in whether records repeat the catalog's namespace).
     * Records come in long runs of one stream, so the last answer is kept.
     */
    private StreamRun resolve(StreamDescriptor d) {
        if (d.equals(lastDescriptor)) {
            return lastResolved;
        }
        StreamRun run = streams.get(d.key());
        if (run == null) {
            List<StreamRun> byName = streams.values().stream().filter(r -> r.stream.descriptor().name().equals(d.name())).toList();
            run = byName.size() == 1 ? byName.get(0) : null;
        }
        lastDescriptor = d;
        lastResolved = run;
        return run;
    }

    private StreamWriter writer(StreamRun run) throws Exception {
        if (run.writer == null) {
            if (destination == null) {
                throw new IllegalStateException("no destination");
            }
            ConfiguredStream s = run.stream;
            boolean replace = run.replace && run.checkpoints == 0;
            List<String> pk = ctx.env().options().deduplicate() ? s.primaryKey() : List.of();
            run.writer = destination.open(new DestinationStream(s.tableName(), s.fields(), pk, replace));
            ctx.info("stream " + run.key() + " -> " + s.tableName() + (replace ? " (replace)" : pk.isEmpty() ? " (append)"
                    : " (merge on " + String.join(", ", pk) + ")"));
        }
        return run.writer;
    }

    /** Commits the stream's writes so far. A replacing stream commits even without records: its table is replaced. */
    private boolean checkpoint(StreamRun run) {
        try {
            if (run.writer == null && !(run.replace && run.checkpoints == 0)) {
                return true;
            }
            writer(run).checkpoint();
            run.checkpoints++;
            ctx.debug("checkpoint of " + run.key() + " after " + run.events + " records");
            return true;
        } catch (Exception e) {
            fail(run, "committing to the destination failed: " + message(e));
            return false;
        }
    }

    private void complete(StreamRun run) {
        if (run.failed || run.done) {
            return;
        }
        try {
            if (run.writer != null || (run.replace && run.checkpoints == 0)) {
                writer(run).complete();
                run.checkpoints++;
            }
            run.writer = null;
            run.done = true;
        } catch (Exception e) {
            run.writer = null;
            fail(run, "committing to the destination failed: " + message(e));
        }
    }

    private void fail(StreamRun run, String error) {
        if (run.failed) {
            return;
        }
        run.failed = true;
        run.error = error;
        if (firstError == null) {
            firstError = error;
        }
        if (run.writer != null) {
            run.writer.abort();
            run.writer = null;
        }
        ctx.error("stream " + run.key() + " failed: " + error);
    }

    private void taskError(String error) {
        if (taskError == null) {
            taskError = error;
        }
        if (firstError == null) {
            firstError = error;
        }
    }

    @Override
    public void heartbeat() {
        long n = records.get();
        try {
            ctx.results().write(c -> ResultTables.readProgress(c, ctx.env().taskId(), "running: " + n + " records received"));
        } catch (SQLException e) {
            ctx.stderr("heartbeat failed: " + e.getMessage());
        }
    }

    @Override
    public int finish(Ending ending) {
        String reason = ending.reason();
        boolean normal = ending instanceof Ending.EndOfOutput && reason == null;
        if (reason != null) {
            ctx.warn(reason);
            if (!(ending instanceof Ending.Cancelled)) {
                taskError(reason);
            }
        }
        boolean broken = !normal || destination == null;
        // SIGTERM: the grace period is short and an abort may wait on the destination, so the status is
        // written first and open writers are aborted after (a killed process rolls back anyway).
        List<StreamWriter> abortLater = new ArrayList<>();
        for (StreamRun run : streams.values()) {
            if (run.failed || run.done) {
                continue;
            }
            if (ending instanceof Ending.Cancelled && run.writer != null) {
                abortLater.add(run.writer);
                run.writer = null;
            }
            if (!broken && run.announced) {
                // It announced the stream but exited without COMPLETE: it died mid-stream (a crash leaves
                // no other trace on the pipes). Keep what was checkpointed, drop the rest.
                fail(run, "the connector exited before completing the stream");
            } else if (!broken && run.seen) {
                complete(run);
            } else {
                fail(run, reason != null ? reason : taskError != null ? taskError
                        : "the connector sent no records, state or status for this stream");
            }
        }
        ReadStatus status = status(ending);
        String error = firstError;
        String description = streams.isEmpty() && taskError != null ? taskError : statistics();
        long events = streams.values().stream().mapToLong(r -> r.events).sum();
        long bytes = streams.values().stream().mapToLong(r -> r.bytes).sum();
        String metrics = "{\"events\":" + events + ",\"bytes\":" + bytes + ",\"duration_ms\":"
                + (System.nanoTime() - startedNanos) / 1_000_000 + "}";
        ctx.log().ours(status == ReadStatus.SUCCESS ? LogLine.Level.INFO : LogLine.Level.WARN,
                "read finished: " + status + " " + description);
        try {
            boolean won = ctx.results().write(c -> ResultTables.readFinished(c, ctx.env().taskId(), status,
                    ctx.masker().mask(description), ctx.masker().mask(error), metrics));
            if (!won) {
                ctx.warn("task status not written: the task was already finished by someone else");
            }
        } catch (SQLException e) {
            ctx.stderr("writing the task status failed: " + e.getMessage());
            return 2;
        } finally {
            abortLater.forEach(StreamWriter::abort);
            if (destination != null) {
                destination.close();
            }
        }
        return status == ReadStatus.SUCCESS || status == ReadStatus.PARTIAL ? 0 : 1;
    }

    private ReadStatus status(Ending ending) {
        if (ending instanceof Ending.Cancelled) {
            return ReadStatus.CANCELLED;
        }
        if (ending instanceof Ending.IdleTimeout || ending instanceof Ending.Broken) {
            return ReadStatus.FAILED;
        }
        if (streams.isEmpty()) {
            return taskError == null ? ReadStatus.SUCCESS : ReadStatus.FAILED;
        }
        long ok = streams.values().stream().filter(r -> r.status() == StreamRun.Status.SUCCESS).count();
        long failed = streams.values().stream().filter(r -> r.status() == StreamRun.Status.FAILED).count();
        return ok == streams.size() ? ReadStatus.SUCCESS : failed == streams.size() ? ReadStatus.FAILED : ReadStatus.PARTIAL;
    }

    /** {@code {"<stream>": {"events": n, "bytes": n, "status": "...", "error": "..."}}} in catalog order. */
    String statistics() {
        ObjectNode all = MessageParser.mapper().createObjectNode();
        for (StreamRun run : streams.values()) {
            ObjectNode s = all.putObject(run.key());
            s.put("events", run.events);
            s.put("bytes", run.bytes);
            s.put("status", run.status().name());
            if (run.error != null) {
                s.put("error", run.error);
            }
        }
        return all.toString();
    }

    private String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return ctx.masker().mask(m);
    }

}
