package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.syncctl.devkit.source.AirbyteOutput.JSON;

/**
 * The {@code read} command: emits the records of each planned stream in catalog order, with
 * stream statuses, checkpoints and the failure injections of the config.
 */
final class SyntheticRead {
    /** With garbage_lines, one non-JSON line (and one stderr line) per this many records. */
    static final int GARBAGE_EVERY = 100;

    private final SyntheticConfig config;
    private final AirbyteOutput out;
    private final PrintStream err;
    private final RecordEncoder encoder;
    /** Every stream's latest state, sent as the LEGACY-compatible {@code data} of each STATE. */
    private final ObjectNode allStates = JSON.createObjectNode();
    private long totalRecords;

    SyntheticRead(SyntheticConfig config, AirbyteOutput out, PrintStream err) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.encoder = new RecordEncoder(config.seed(), config.recordBytes());
    }

    /** Thrown by the crash_after injection once the output is flushed; the process exits with 1. */
    static final class InjectedCrash extends RuntimeException {
        InjectedCrash(String message) {
            super(message, null, false, false);
        }
    }

    void run(List<StreamPlan> plans, IncomingState state) {
        state.streams().forEach((name, streamState) -> {
            if (streamState.isObject()) allStates.set(name, streamState);
        });
        crashIfDue();
        for (StreamPlan plan : plans) {
            switch (plan) {
                case StreamPlan.Rejected r -> failStream(r.name(), r.reason(), "config_error");
                case StreamPlan.Readable r -> read(r);
            }
        }
        out.log("INFO", "read finished: " + totalRecords + " records");
    }

    private void read(StreamPlan.Readable stream) {
        String name = stream.name();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean injectError = config.errorStream().filter(name::equals).isPresent();
        out.streamStatus(name, "STARTED");
        out.log("INFO", "reading " + name + (stream.incremental() ? " incrementally after id " + stream.afterId() : " in full"));
        long lastId = stream.afterId();
        long sinceCheckpoint = 0;
        for (long n = 0; n < config.recordsPerStream(); n++) {
            lastId = stream.afterId() + 1 + n;
            int length = encoder.encode(nameBytes, stream.index(), lastId, System.currentTimeMillis());
            out.bytes(encoder.buffer(), length);
            totalRecords++;
            sinceCheckpoint++;
            if (n == 0) out.streamStatus(name, "RUNNING");
            if (config.garbageLines() && n % GARBAGE_EVERY == GARBAGE_EVERY / 2) garbage(name + " record " + lastId);
            if (config.sleepMsPerRecord() > 0) sleepAfterRecord();
            crashIfDue();
            if (sinceCheckpoint == config.checkpointEvery()) {
                checkpoint(stream, lastId);
                sinceCheckpoint = 0;
                if (injectError) {
                    failStream(name, "injected error in " + name + " (error_stream)", "system_error");
                    return;
                }
            }
        }
        if (sinceCheckpoint > 0 || (config.recordsPerStream() == 0 && lastId > 0)) checkpoint(stream, lastId);
        if (injectError) {
            failStream(name, "injected error in " + name + " (error_stream)", "system_error");
            return;
        }
        out.streamStatus(name, "COMPLETE");
    }

    /** Incremental streams store their cursor; full-refresh streams have nothing to resume from. */
    private void checkpoint(StreamPlan.Readable stream, long lastId) {
        if (!stream.incremental()) return;
        JsonNode state = JSON.createObjectNode().put(IncomingState.CURSOR, cursorOf(lastId));
        allStates.set(stream.name(), state);
        out.streamState(stream.name(), state, allStates);
    }

    static String cursorOf(long id) {
        return Instant.ofEpochSecond(RecordEncoder.CURSOR_EPOCH_SECOND + id).toString();
    }

    private void failStream(String stream, String message, String failureType) {
        out.log("ERROR", message);
        out.traceError(stream, message, failureType);
        out.streamStatus(stream, "INCOMPLETE");
    }

    /** Other consumers must see each record as it comes when the source is deliberately slow. */
    private void sleepAfterRecord() {
        out.flush();
        try {
            Thread.sleep(config.sleepMsPerRecord());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InjectedCrash("interrupted");
        }
    }

    private void garbage(String where) {
        out.rawLine("garbage line at " + where + ": this is not JSON {");
        err.println("noise on stderr at " + where);
    }

    private void crashIfDue() {
        if (config.crashAfter().isPresent() && totalRecords == config.crashAfter().getAsLong()) {
            out.flush();
            err.println("crash_after: exiting with code 1 after " + totalRecords + " records");
            throw new InjectedCrash("crash_after " + totalRecords);
        }
    }
}
