package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state a read starts from, by stream name. Accepts every shape a controller may hand a
 * source: a list of STATE messages ({@code STREAM}, {@code GLOBAL} or {@code LEGACY}), one such
 * message, or a LEGACY map {@code {"stream_1": {...}}}. Nothing, {@code {}} and {@code []} mean
 * no state.
 */
record IncomingState(Map<String, JsonNode> streams) {

    static final String CURSOR = "updated_at";

    static IncomingState parse(JsonNode state) {
        Map<String, JsonNode> streams = new LinkedHashMap<>();
        if (state == null || state.isNull() || state.isMissingNode()) return new IncomingState(streams);
        if (state.isArray()) {
            state.forEach(message -> addMessage(message, streams));
        } else if (state.isObject() && state.has("type")) {
            addMessage(state, streams);
        } else if (state.isObject()) {
            addLegacy(state, streams);
        } else {
            throw new InvalidConfigException("state must be a JSON object or array");
        }
        return new IncomingState(streams);
    }

    private static void addMessage(JsonNode message, Map<String, JsonNode> streams) {
        switch (message.path("type").asText()) {
            case "STREAM" -> addStream(message.path("stream"), streams);
            case "GLOBAL" -> message.path("global").path("stream_states").forEach(s -> addStream(s, streams));
            case "LEGACY" -> addLegacy(message.path("data"), streams);
            default -> throw new InvalidConfigException(
                    "state message type must be STREAM, GLOBAL or LEGACY, got '" + message.path("type").asText() + "'");
        }
    }

    private static void addStream(JsonNode stream, Map<String, JsonNode> streams) {
        String name = stream.path("stream_descriptor").path("name").asText("");
        if (name.isEmpty()) throw new InvalidConfigException("state of a stream has no stream_descriptor.name");
        streams.put(name, stream.path("stream_state"));
    }

    private static void addLegacy(JsonNode data, Map<String, JsonNode> streams) {
        data.fields().forEachRemaining(e -> streams.put(e.getKey(), e.getValue()));
    }

    /** The id of the last record the stored cursor of {@code stream} covers; 0 without state. */
    long lastId(String stream) {
        JsonNode state = streams.get(stream);
        if (state == null || state.isNull() || state.isMissingNode() || state.isEmpty()) return 0;
        String cursor = state.path(CURSOR).asText("");
        try {
            long seconds = OffsetDateTime.parse(cursor).toEpochSecond() - RecordEncoder.CURSOR_EPOCH_SECOND;
            return Math.max(0, seconds);
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException("state of " + stream + " needs an RFC 3339 '" + CURSOR
                    + "' cursor, got '" + cursor + "'");
        }
    }
}
