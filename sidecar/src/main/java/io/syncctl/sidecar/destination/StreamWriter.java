package io.syncctl.sidecar.destination;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.record.RecordFields;

/**
 * Writes one stream in chunks. Appending, a chunk ends at a {@link #checkpoint()}: everything written
 * before it is in the table when it returns. Replacing, checkpoints may only stage the data; the table is
 * replaced atomically, once, by {@link #complete()}, and {@link #abort()} leaves the previous table whole.
 */
public interface StreamWriter {

    /** The record's data is only valid during the call. */
    void write(AirbyteMessage.Record record) throws Exception;

    /**
     * The same, with the data's top-level fields already found by the line scanner ({@code fields} null
     * when it was not): a destination that reads fields uses them instead of parsing the data again.
     */
    default void write(AirbyteMessage.Record record, RecordFields fields) throws Exception {
        write(record);
    }

    /** Appending: commits everything written so far to the table. Replacing: may make it durable, not visible. */
    void checkpoint() throws Exception;

    /** The last checkpoint, and for a replacing stream the swap of its table; releases the writer. */
    void complete() throws Exception;

    /** Discards everything written since the last checkpoint; releases the writer. Never throws. */
    void abort();
}
