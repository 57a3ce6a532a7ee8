package io.syncctl.sidecar.read;

import io.syncctl.sidecar.destination.StreamWriter;

/** One stream during a read: its counters, its open writer and how it ended. Touched by one thread at a time. */
final class StreamRun {
    enum Status { SUCCESS, PARTIAL, FAILED }

    final ConfiguredStream stream;
    final boolean replace;
    long events;
    long bytes;
    /** Records, state or a status of this stream arrived. */
    boolean seen;
    /** The connector announced the stream (STREAM_STATUS STARTED/RUNNING): it will also say when it is COMPLETE. */
    boolean announced;
    boolean failed;
    boolean done;
    String error;
    /** Chunks made durable; after the first one, chunks append. */
    int checkpoints;
    StreamWriter writer;

    StreamRun(ConfiguredStream stream, boolean replace) {
        this.stream = stream;
        this.replace = replace;
    }

    String key() {
        return stream.descriptor().key();
    }

    /** Failed after a checkpoint made part of its data durable: PARTIAL. Never seen: FAILED. */
    Status status() {
        if (failed) {
            return checkpoints > 0 ? Status.PARTIAL : Status.FAILED;
        }
        return seen ? Status.SUCCESS : Status.FAILED;
    }
}
