package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.MessageParser;
import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.shared.results.LogLine.Level;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.sidecar.command.CommandHandler;
import io.syncctl.sidecar.command.Ending;
import io.syncctl.sidecar.command.TaskContext;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.log.SecretMasker;
import io.syncctl.sidecar.record.RecordFields;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The read command (CONTRACT section 4): routes each message to its stream's {@link StreamRun}, stores
 * the states a checkpoint allows, and writes progress and the final result. How a stream lives (replace
 * or append, when its data is visible, how it ends) is {@link StreamRun}'s; this class only decides which
 * stream a message is about and what goes to {@code source_state} and {@code source_task}.
 */
public final class ReadSession implements CommandHandler {
    static final String GLOBAL_STATE = "_GLOBAL_STATE";
    static final String LEGACY_STATE = "_LEGACY_STATE";

    /**
     * @param fullSync    ignore incoming state: every stream replaces its table
     * @param deduplicate merge on primary keys when appending
     */
    public record Options(boolean fullSync, boolean deduplicate) {
    }

    private final ReadOutput out;
    private final SecretMasker masker;
    private final Destination destination;
    private final LongSupplier nanoClock;
    private final long startedNanos;
    private final Map<String, StreamRun> streams = new LinkedHashMap<>();
    private final Set<String> unknownStreams = new HashSet<>();
    /** Why the whole task cannot succeed (bad input, no destination, an error outside any stream). */
    private String taskError;
    private final String setupError;
    private String firstError;
    /** A connector ERROR line while no stream was current: the reason for streams that never came. */
    private String unplacedLogError;
    private StreamRun current;
    private StreamDescriptor lastDescriptor;
    private StreamRun lastResolved;
    /** The latest GLOBAL or LEGACY state, waiting until no replacement it covers is pending. */
    private String heldSharedKey;
    private JsonNode heldShared;

    /**
     * @param catalog     the configured catalog's streams, or null when it could not be read
     * @param destination the destination, or null when it could not be created
     * @param setupError  why catalog or destination is missing
     */
    public ReadSession(ReadOutput out, SecretMasker masker, Options options, Map<String, ConfiguredStream> catalog,
                       PriorState prior, Destination destination, String setupError, LongSupplier nanoClock) {
        this.out = out;
        this.masker = masker;
        this.destination = destination;
        this.nanoClock = nanoClock;
        this.setupError = setupError == null ? null : masker.mask(setupError);
        this.startedNanos = nanoClock.getAsLong();
        if (catalog != null) {
            for (ConfiguredStream s : catalog.values()) {
                boolean replace = options.fullSync() || !s.incremental() || !prior.has(s.descriptor());
                streams.put(s.descriptor().key(), new StreamRun(s, replace, options.deduplicate() ? s.primaryKey() : List.of()));
            }
        }
        if (setupError != null) {
            taskError(masker.mask(setupError));
        }
    }

    /** The session of the sidecar's read task. */
    public static ReadSession of(TaskContext ctx, Map<String, ConfiguredStream> catalog, PriorState prior,
                                 Destination destination, String setupError) {
        return new ReadSession(new TableOutput(ctx), ctx.masker(),
                new Options(ctx.env().options().fullSync(), ctx.env().options().deduplicate()),
                catalog, prior, destination, setupError, System::nanoTime);
    }

    @Override
    public void onMessage(AirbyteMessage message) {
        switch (message) {
            case AirbyteMessage.Record r -> record(r, null);
            case AirbyteMessage.State s -> state(s);
            case AirbyteMessage.TraceError t -> {
                String msg = masker.mask(t.message() == null || t.message().isBlank()
                        ? t.internalMessage() == null ? "connector reported an error" : t.internalMessage() : t.message());
                StreamRun run = t.stream() != null ? resolve(t.stream()) : current;
                if (run != null) {
                    fail(run, msg);
                } else {
                    taskError(msg);
                }
            }
            case AirbyteMessage.StreamStatus s -> streamStatus(s);
            case AirbyteMessage.Control c -> out.log(Level.INFO, "connector sent a CONTROL message (" + c.type()
                    + "); the sidecar does not update stored connector configs");
            case AirbyteMessage.Estimate e -> out.log(Level.DEBUG, "estimate " + e.stream() + ": " + e.rowEstimate() + " rows");
            default -> {
                // SPEC, CATALOG, CONNECTION_STATUS and unknown types carry nothing for a read
            }
        }
    }

    /** Go's later rule: an ERROR line fails the current stream only if that stream does not reach COMPLETE. */
    @Override
    public void onConnectorError(String message) {
        if (current != null) {
            current.logError(message);
        } else if (unplacedLogError == null) {
            unplacedLogError = message;
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
                out.log(Level.WARN, "records of stream " + r.stream().key() + " ignored: it is not in the configured catalog");
            }
            return;
        }
        current = run;
        boolean opening = !run.hasWriter();
        try {
            run.write(r, fields, destination);
        } catch (Exception e) {
            fail(run, "writing to the destination failed: " + message(e));
            return;
        }
        if (opening && run.hasWriter()) {
            ConfiguredStream s = run.stream;
            out.log(Level.INFO, "stream " + run.key() + " -> " + (s.namespace() == null ? "" : s.namespace() + ".")
                    + s.tableName() + " (" + run.mode() + ")");
        }
    }

    private void state(AirbyteMessage.State s) {
        switch (s.type()) {
            case STREAM -> {
                StreamRun run = resolve(s.stream());
                String key = run != null ? run.key() : s.stream().key();
                JsonNode inner = s.stored().path("stream").get("stream_state");
                if (run == null) {
                    store(key, inner); // a stream outside the catalog: nothing of it is written
                    return;
                }
                run.touch();
                switch (checkpoint(run, inner)) {
                    case COMMITTED -> store(key, inner);
                    case STAGED -> out.log(Level.DEBUG, "state of " + key + " held until its table is replaced");
                    case FAILED -> out.log(Level.WARN, "state of stream " + key + " not stored: the stream failed");
                }
            }
            case GLOBAL, LEGACY -> {
                boolean global = s.type() == AirbyteMessage.StateType.GLOBAL;
                for (StreamRun run : streams.values()) {
                    if (run.phase() == StreamRun.Phase.OPEN) {
                        checkpoint(run, null);
                    }
                }
                heldSharedKey = global ? GLOBAL_STATE : LEGACY_STATE;
                heldShared = global ? s.stored().get("global") : s.stored();
                storeSharedIfCovered();
            }
        }
    }

    private StreamRun.Checkpoint checkpoint(StreamRun run, JsonNode state) {
        try {
            StreamRun.Checkpoint c = run.checkpoint(state);
            out.log(Level.DEBUG, "checkpoint of " + run.key() + " after " + run.events + " records: " + c);
            return c;
        } catch (Exception e) {
            fail(run, "committing to the destination failed: " + message(e));
            return StreamRun.Checkpoint.FAILED;
        }
    }

    /**
     * Stores the held GLOBAL/LEGACY state once no stream it covers (every stream) has a replacement
     * pending; never once a stream failed (its data did not all arrive, and the next run must repeat it).
     */
    private void storeSharedIfCovered() {
        if (heldShared == null) {
            return;
        }
        List<String> failed = new ArrayList<>();
        for (StreamRun run : streams.values()) {
            if (run.unswapped()) {
                out.log(Level.DEBUG, heldSharedKey + " held until the table of " + run.key() + " is replaced");
                return;
            }
            if (run.phase() == StreamRun.Phase.FAILED) {
                failed.add(run.key());
            }
        }
        if (failed.isEmpty()) {
            store(heldSharedKey, heldShared);
        } else {
            out.log(Level.WARN, heldSharedKey + " not stored: streams " + failed + " failed");
        }
        heldShared = null;
    }

    private void store(String key, JsonNode state) {
        if (state == null || state.isNull() || state.isMissingNode()) {
            return; // as Go: nothing to store
        }
        try {
            out.storeState(key, state.toString());
            out.log(Level.DEBUG, "state of " + key + " stored");
        } catch (Exception e) {
            // Data is committed but its state is not: the next run repeats these records, which is safe.
            out.log(Level.ERROR, "storing the state of " + key + " failed: " + message(e));
        }
    }

    private void streamStatus(AirbyteMessage.StreamStatus s) {
        StreamRun run = resolve(s.stream());
        if (run == null) {
            return;
        }
        switch (s.status()) {
            case "STARTED", "RUNNING" -> {
                current = run;
                run.announce();
            }
            case "COMPLETE" -> {
                run.touch();
                complete(run);
            }
            case "INCOMPLETE" -> fail(run, run.errorFromLogs() != null ? run.errorFromLogs()
                    : "connector reported the stream INCOMPLETE");
            default -> run.touch();
        }
    }

    private void complete(StreamRun run) {
        try {
            store(run.key(), run.complete(destination));
        } catch (Exception e) {
            fail(run, "committing to the destination failed: " + message(e));
        }
        storeSharedIfCovered();
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

    private void fail(StreamRun run, String error) {
        if (run.fail(error)) {
            if (firstError == null) {
                firstError = error;
            }
            out.log(Level.ERROR, "stream " + run.key() + " failed: " + error);
        }
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
    public String setupFailure() {
        return setupError;
    }

    /** Progress while running: the statistics the console's task table sums. */
    @Override
    public void heartbeat() {
        try {
            out.progress(masker.mask(statistics()));
        } catch (Exception e) {
            out.log(Level.WARN, "writing progress failed: " + message(e));
        }
    }

    @Override
    public int finish(Ending ending) {
        if (!(ending instanceof Ending.Cancelled) && cancelRequested()) {
            // never swap in a replacement the cancel cut short, nor call the cut streams failed
            ending = new Ending.Cancelled();
        }
        String reason = ending.reason();
        boolean cancelled = ending instanceof Ending.Cancelled;
        boolean stopped = ending instanceof Ending.Stopped || ending instanceof Ending.EndedByWorker;
        boolean normal = ending instanceof Ending.EndOfOutput && reason == null && destination != null;
        if (reason != null) {
            out.log(Level.WARN, reason);
            if (!cancelled) {
                taskError(reason);
            }
        }
        // SIGTERM: the grace period is short and an abort may wait on the destination, so the status is
        // written first and open writers are aborted after (a killed process rolls back anyway).
        List<StreamWriter> abortLater = new ArrayList<>();
        for (StreamRun run : streams.values()) {
            StreamRun.Phase phase = run.phase();
            if (phase != StreamRun.Phase.WAITING && phase != StreamRun.Phase.OPEN) {
                continue;
            }
            if (cancelled || stopped) {
                StreamWriter w = cancelled ? run.cancel() : run.cut(reason);
                if (w != null) {
                    abortLater.add(w);
                }
                if (stopped) {
                    out.log(Level.ERROR, "stream " + run.key() + " failed: " + reason);
                }
            } else if (normal && phase == StreamRun.Phase.OPEN && run.errorFromLogs() != null) {
                fail(run, run.errorFromLogs());
            } else if (normal && run.announced()) {
                // It announced the stream but exited without COMPLETE: it died mid-stream (a crash leaves
                // no other trace on the pipes). Keep what was committed, drop the rest.
                fail(run, "the connector exited before completing the stream");
            } else if (normal && phase == StreamRun.Phase.OPEN) {
                complete(run); // a connector that does not send stream statuses: output ended, stream done
            } else {
                fail(run, reason != null ? reason : taskError != null ? taskError : unplacedLogError != null
                        ? unplacedLogError : "the connector sent no records, state or status for this stream");
            }
        }
        storeSharedIfCovered();
        ReadStatus status = status(ending);
        String description = masker.mask(streams.isEmpty() && taskError != null ? taskError : statistics());
        String error = masker.mask(firstError);
        long events = streams.values().stream().mapToLong(r -> r.events).sum();
        long bytes = streams.values().stream().mapToLong(r -> r.bytes).sum();
        String metrics = "{\"events\":" + events + ",\"bytes\":" + bytes + ",\"duration_ms\":"
                + (nanoClock.getAsLong() - startedNanos) / 1_000_000 + "}";
        out.log(status == ReadStatus.SUCCESS ? Level.INFO : Level.WARN, "read finished: " + status + " " + description);
        try {
            if (!out.finished(status, description, error, metrics)) {
                // The api marks a cancelled read CANCELLED at once; the statistics still belong on its row.
                if (!cancelled || !out.cancelledStatistics(description, error, metrics)) {
                    out.log(Level.WARN, "task status not written: the task was already finished by someone else");
                }
            }
        } catch (Exception e) {
            out.log(Level.ERROR, "writing the task status failed: " + message(e));
            return 2;
        } finally {
            abortLater.forEach(StreamWriter::abort);
            if (destination != null) {
                destination.close();
            }
        }
        return status == ReadStatus.SUCCESS || status == ReadStatus.PARTIAL ? 0 : 1;
    }

    private boolean cancelRequested() {
        try {
            return out.cancelRequested();
        } catch (Exception e) {
            out.log(Level.WARN, "could not learn whether the read was cancelled: " + message(e));
            return false;
        }
    }

    private ReadStatus status(Ending ending) {
        if (ending instanceof Ending.Cancelled) {
            return ReadStatus.CANCELLED;
        }
        if (ending instanceof Ending.IdleTimeout || ending instanceof Ending.NotStarted || ending instanceof Ending.Broken
                || ending instanceof Ending.Stopped || ending instanceof Ending.EndedByWorker) {
            return ReadStatus.FAILED;
        }
        if (streams.isEmpty()) {
            return taskError == null ? ReadStatus.SUCCESS : ReadStatus.FAILED;
        }
        long ok = streams.values().stream().filter(r -> r.status().equals("SUCCESS")).count();
        long failed = streams.values().stream().filter(r -> r.status().equals("FAILED")).count();
        return ok == streams.size() ? ReadStatus.SUCCESS : failed == streams.size() ? ReadStatus.FAILED : ReadStatus.PARTIAL;
    }

    /** {@code {"<stream>": {"status": "...", "events": n, "bytes": n, "error": "..."}}} in catalog order. */
    String statistics() {
        ObjectNode all = MessageParser.mapper().createObjectNode();
        for (StreamRun run : streams.values()) {
            ObjectNode s = all.putObject(run.key());
            s.put("status", run.status());
            s.put("events", run.events);
            s.put("bytes", run.bytes);
            if (run.error() != null) {
                s.put("error", run.error());
            }
        }
        return all.toString();
    }

    private String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return masker.mask(m);
    }
}
