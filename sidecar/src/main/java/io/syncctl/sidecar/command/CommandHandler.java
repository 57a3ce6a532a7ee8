package io.syncctl.sidecar.command;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.record.RecordFields;

/**
 * What a connector command's output means. The sidecar calls these one at a time (never concurrently).
 * Log lines are already in task_log when {@link #onConnectorError} is called.
 */
public interface CommandHandler {

    void onMessage(AirbyteMessage message);

    /** A RECORD found by the line scanner, with its data's top-level fields; valid during the call. */
    default void onRecord(AirbyteMessage.Record record, RecordFields fields) {
        onMessage(record);
    }

    /** A connector ERROR/FATAL log line or TRACE error without a stream; the message is masked. */
    void onConnectorError(String message);

    /**
     * Why the connector's output cannot be used at all (no catalog, a destination that does not answer), or
     * null. The sidecar then ends the task at once instead of after the connector ran.
     */
    default String setupFailure() {
        return null;
    }

    /** Called every few seconds from another thread while the connector runs. */
    default void heartbeat() {
    }

    /** Writes the final result. Returns the process exit code. */
    int finish(Ending ending);
}
