package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Airbyte protocol v0 messages, one JSON object per line on stdout. Everything goes through one
 * large buffer; records arrive as ready-made bytes from {@link RecordEncoder}, the rarer messages
 * are built as Jackson trees.
 */
final class AirbyteOutput {
    static final ObjectMapper JSON = new ObjectMapper();

    private final OutputStream out;

    AirbyteOutput(OutputStream out) {
        this.out = out;
    }

    void message(ObjectNode message) {
        try {
            out.write(JSON.writeValueAsBytes(message));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void bytes(byte[] line, int length) {
        try {
            out.write(line, 0, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line that is not JSON at all (the garbage_lines failure injection). */
    void rawLine(String text) {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        bytes(b, b.length);
    }

    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void log(String level, String text) {
        ObjectNode m = typed("LOG");
        m.putObject("log").put("level", level).put("message", text);
        message(m);
    }

    void spec(JsonNode spec) {
        ObjectNode m = typed("SPEC");
        m.set("spec", spec);
        message(m);
    }

    void connectionStatus(boolean succeeded, String text) {
        ObjectNode m = typed("CONNECTION_STATUS");
        ObjectNode status = m.putObject("connectionStatus").put("status", succeeded ? "SUCCEEDED" : "FAILED");
        if (text != null) status.put("message", text);
        message(m);
    }

    void catalog(JsonNode catalog) {
        ObjectNode m = typed("CATALOG");
        m.set("catalog", catalog);
        message(m);
    }

    /** A per-stream STATE whose {@code data} also carries every stream's state, for LEGACY readers. */
    void streamState(String stream, JsonNode streamState, JsonNode allStreams) {
        ObjectNode m = typed("STATE");
        ObjectNode state = m.putObject("state").put("type", "STREAM");
        ObjectNode s = state.putObject("stream");
        s.putObject("stream_descriptor").put("name", stream);
        s.set("stream_state", streamState);
        state.set("data", allStreams);
        message(m);
    }

    /** An ERROR trace; {@code stream} is null for errors of the whole connector. */
    void traceError(String stream, String text, String failureType) {
        ObjectNode error = JSON.createObjectNode()
                .put("message", text)
                .put("internal_message", text)
                .put("failure_type", failureType);
        if (stream != null) error.putObject("stream_descriptor").put("name", stream);
        message(trace("ERROR", "error", error));
    }

    void streamStatus(String stream, String status) {
        ObjectNode streamStatus = JSON.createObjectNode();
        streamStatus.putObject("stream_descriptor").put("name", stream);
        streamStatus.put("status", status);
        message(trace("STREAM_STATUS", "stream_status", streamStatus));
    }

    private static ObjectNode trace(String type, String field, ObjectNode body) {
        ObjectNode m = typed("TRACE");
        m.putObject("trace")
                .put("type", type)
                .put("emitted_at", System.currentTimeMillis())
                .set(field, body);
        return m;
    }

    private static ObjectNode typed(String type) {
        return JSON.createObjectNode().put("type", type);
    }
}
