package io.syncctl.sidecar.destination;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.record.RecordFields;

/**
 * Writes one stream in chunks. A chunk ends at a {@link #checkpoint()}: everything written before it is
 * durable when it returns, and the next chunk appends. The first chunk of a replacing stream replaces
 * the table atomically at its checkpoint.
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

    /** Makes everything written so far durable. */
    void checkpoint() throws Exception;

    /** The last checkpoint; releases the writer. */
    void complete() throws Exception;

    /** Discards everything written since the last checkpoint; releases the writer. Never throws. */
    void abort();
}
