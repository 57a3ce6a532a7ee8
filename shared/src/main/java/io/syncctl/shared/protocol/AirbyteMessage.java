package io.syncctl.shared.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a connector's stdout (Airbyte protocol). A closed set: every consumer handles every case,
 * and {@link Unknown} stands for message types a newer protocol version may add.
 * Small messages keep their payload as a Jackson tree; {@link Record} keeps its data as raw JSON.
 */
public sealed interface AirbyteMessage {

    enum StateType { LEGACY, STREAM, GLOBAL }

    /** {@code LOG}: {@code level} is one of FATAL, ERROR, WARN, INFO, DEBUG, TRACE as the connector wrote it. */
    record Log(String level, String message, String stackTrace) implements AirbyteMessage {
    }

    /** {@code SPEC}: the whole connector specification object. */
    record Spec(JsonNode spec) implements AirbyteMessage {
    }

    /** {@code CONNECTION_STATUS}: the answer of {@code check}. */
    record ConnectionStatus(boolean succeeded, String message) implements AirbyteMessage {
    }

    /** {@code CATALOG}: the answer of {@code discover}. */
    record Catalog(JsonNode catalog) implements AirbyteMessage {
    }

    /** {@code RECORD}: {@code data} is the record object exactly as written; {@code emittedAt} is epoch millis or 0. */
    record Record(StreamDescriptor stream, RawJson data, long emittedAt) implements AirbyteMessage {
    }

    /**
     * {@code STATE}: a checkpoint. {@code stream} is set for {@link StateType#STREAM} only. {@code stored} is
     * what a later run needs back: the state message's {@code state} object for STREAM and GLOBAL (it can be
     * passed back as an element of the {@code --state} array), the bare {@code data} object for LEGACY.
     */
    record State(StateType type, StreamDescriptor stream, JsonNode stored) implements AirbyteMessage {
    }

    /** {@code TRACE} of type {@code STREAM_STATUS}: STARTED, RUNNING, COMPLETE or INCOMPLETE. */
    record StreamStatus(StreamDescriptor stream, String status) implements AirbyteMessage {
    }

    /** {@code TRACE} of type {@code ERROR}; {@code stream} is null when the connector did not name one. */
    record TraceError(StreamDescriptor stream, String message, String internalMessage, String failureType)
            implements AirbyteMessage {
    }

    /** {@code TRACE} of type {@code ESTIMATE}; counts are -1 when absent. */
    record Estimate(StreamDescriptor stream, String type, long rowEstimate, long byteEstimate) implements AirbyteMessage {
    }

    /** {@code CONTROL}: e.g. {@code CONNECTOR_CONFIG} with an updated config (which holds secrets: never log it). */
    record Control(String type, JsonNode body) implements AirbyteMessage {
    }

    /** A JSON message of a type (or TRACE type) this model does not know. */
    record Unknown(String type) implements AirbyteMessage {
    }
}
