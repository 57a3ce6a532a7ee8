package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.record.RecordFields;

import java.util.List;

/**
 * One stream's life during a read, every transition in one place:
 * <pre>
 *   WAITING --record/state/status--> OPEN --complete--> DONE --record--> OPEN (appends)
 *   WAITING|OPEN|DONE --fail--> FAILED          WAITING|OPEN --cancel--> CANCELLED
 * </pre>
 * A replacing stream (full refresh, or incremental without incoming state) stages its data and swaps it
 * in once, at {@link #complete()}; until then its states are held, because a run that fails after storing
 * one would leave a state whose data never reached the table. An appending stream commits at every
 * checkpoint and its states may be stored at once. Touched by one thread at a time, except that the
 * heartbeat reads the counters and the phase for progress (a slightly stale value is fine there).
 */
final class StreamRun {
    enum Phase { WAITING, OPEN, DONE, FAILED, CANCELLED }

    /** How a checkpoint of this stream went. */
    enum Checkpoint { COMMITTED, STAGED, FAILED }

    final ConfiguredStream stream;
    private final boolean replace;
    private final List<String> primaryKey;
    private volatile Phase phase = Phase.WAITING;
    long events;
    long bytes;
    /** The connector announced the stream (STREAM_STATUS STARTED/RUNNING): it will also say when it is COMPLETE. */
    private boolean announced;
    /** Some of this run's data reached the table (an appended chunk, or the swap). */
    private boolean committed;
    /** The replacement is in place: later chunks append. */
    private boolean swapped;
    private String error;
    /** The first connector ERROR line while this was the current stream: it fails the stream only if it does not complete. */
    private String errorFromLogs;
    private JsonNode heldState;
    private StreamWriter writer;

    /** @param primaryKey the key to merge on (empty: plain append) */
    StreamRun(ConfiguredStream stream, boolean replace, List<String> primaryKey) {
        this.stream = stream;
        this.replace = replace;
        this.primaryKey = primaryKey;
    }

    String key() {
        return stream.descriptor().key();
    }

    Phase phase() {
        return phase;
    }

    String error() {
        return error;
    }

    boolean announced() {
        return announced;
    }

    String errorFromLogs() {
        return errorFromLogs;
    }

    /** Whether this run's writes replace the table now (until the swap). */
    boolean replacing() {
        return replace && !swapped;
    }

    /** Data staged for a replacement that is not in place yet: states covering this stream must wait. */
    boolean unswapped() {
        return replacing() && phase == Phase.OPEN;
    }

    /** A record, state or status of this stream arrived. */
    void touch() {
        if (phase == Phase.WAITING) {
            phase = Phase.OPEN;
        }
    }

    void announce() {
        touch();
        announced = true;
    }

    void logError(String message) {
        if (errorFromLogs == null) {
            errorFromLogs = message;
        }
    }

    /** Counts the record and writes it, unless the stream failed or was cancelled. Throws what the destination threw. */
    void write(AirbyteMessage.Record r, RecordFields fields, Destination destination) throws Exception {
        events++;
        bytes += r.data().length();
        Phase p = phase;
        if (p != Phase.OPEN) {
            if (p == Phase.FAILED || p == Phase.CANCELLED) {
                return;
            }
            phase = Phase.OPEN; // WAITING, or more records after COMPLETE: a new chunk that appends
        }
        writer(destination).write(r, fields);
    }

    /** The writer, opened on first use: replacing until the swap, appending (merging on the key) after. */
    StreamWriter writer(Destination destination) throws Exception {
        if (writer == null) {
            if (destination == null) {
                throw new IllegalStateException("no destination");
            }
            writer = destination.open(new DestinationStream(stream.namespace(), stream.tableName(), stream.fields(),
                    primaryKey, replacing()));
        }
        return writer;
    }

    /** How the writer was opened, for the log. */
    String mode() {
        return replacing() ? "replace" : primaryKey.isEmpty() ? "append" : "merge on " + String.join(", ", primaryKey);
    }

    boolean hasWriter() {
        return writer != null;
    }

    /**
     * A checkpoint: commits (appending) or stages (replacing) what was written. {@code state}, when given,
     * is held until the swap when replacing. Throws what the destination threw; the caller fails the stream.
     */
    Checkpoint checkpoint(JsonNode state) throws Exception {
        if (phase == Phase.FAILED || phase == Phase.CANCELLED) {
            return Checkpoint.FAILED;
        }
        boolean staging = replacing() && phase != Phase.DONE;
        if (writer != null) {
            writer.checkpoint();
            committed |= !staging;
        }
        if (staging) {
            if (state != null) {
                heldState = state;
            }
            return Checkpoint.STAGED;
        }
        return Checkpoint.COMMITTED;
    }

    /**
     * COMPLETE: the last commit, and the swap of a replacing stream (also when it wrote nothing: its table
     * is then replaced by an empty one). Returns the state held for the swap, to store now, or null.
     * On a destination error the writer is released and the error thrown; the caller fails the stream.
     */
    JsonNode complete(Destination destination) throws Exception {
        if (phase == Phase.FAILED || phase == Phase.CANCELLED || phase == Phase.DONE) {
            return null;
        }
        StreamWriter w = writer != null || replacing() ? writer(destination) : null;
        writer = null;
        if (w != null) {
            w.complete();
            committed = true;
            swapped = replace;
        }
        phase = Phase.DONE;
        JsonNode state = heldState;
        heldState = null;
        return state;
    }

    /** Rolls back to the last commit; a replacing stream leaves its table as it was. False when it had already failed. */
    boolean fail(String why) {
        if (phase == Phase.FAILED || phase == Phase.CANCELLED) {
            return false;
        }
        phase = Phase.FAILED;
        error = why;
        heldState = null;
        if (writer != null) {
            writer.abort();
            writer = null;
        }
        return true;
    }

    /**
     * Cut by a cancel: CANCELLED unless it had already ended. Returns its open writer, for the caller to
     * abort after the task status is written (an abort may wait on the destination), or null.
     */
    StreamWriter cancel() {
        if (phase != Phase.WAITING && phase != Phase.OPEN) {
            return null;
        }
        phase = Phase.CANCELLED;
        heldState = null;
        StreamWriter w = writer;
        writer = null;
        return w;
    }

    /**
     * Cut by Kubernetes stopping the pod: FAILED with {@code why} unless it had already ended. Returns
     * its open writer, for the caller to abort after the task status is written, or null.
     */
    StreamWriter cut(String why) {
        if (phase != Phase.WAITING && phase != Phase.OPEN) {
            return null;
        }
        phase = Phase.FAILED;
        error = why;
        heldState = null;
        StreamWriter w = writer;
        writer = null;
        return w;
    }

    /** The status in the task's description: PARTIAL when a failed stream had committed data. */
    String status() {
        return switch (phase) {
            case WAITING -> "PENDING";
            case OPEN -> "RUNNING";
            case DONE -> "SUCCESS";
            case FAILED -> committed ? "PARTIAL" : "FAILED";
            case CANCELLED -> "CANCELLED";
        };
    }
}
