package io.syncctl.shared.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.syncctl.shared.protocol.AirbyteMessage.StateType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns one stdout line of a connector into an {@link AirbyteMessage}.
 *
 * <p>Millions of records pass through here, so a {@code RECORD} is read with Jackson's streaming parser
 * and its {@code data} is kept as the byte slice of the line it came in ({@link RawJson}): no tree, no
 * re-serialisation. Only the small message kinds are read as trees. Field order inside the message does
 * not matter. Limits on string length and nesting are lifted: a record may legitimately span megabytes.
 * Thread-safe.
 */
public final class MessageParser {

    /** Shared by everything that reads connector JSON: Jackson's default limits reject legitimate huge records. */
    public static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .maxNestingDepth(10_000)
                    .maxDocumentLength(-1)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    /** The line is not an Airbyte message (not JSON, not an object, or no known shape): it is a log line. */
    public static final class NotAMessage extends Exception {
        public NotAMessage(String reason) {
            super(reason, null, false, false);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public AirbyteMessage parse(String line) throws NotAMessage {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length);
    }

    /** Parses {@code line[0, length)}. A returned {@link AirbyteMessage.Record} shares {@code line}. */
    public AirbyteMessage parse(byte[] line, int length) throws NotAMessage {
        try (JsonParser p = JSON.createParser(line, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotAMessage("not a JSON object");
            }
            String type = null;
            AirbyteMessage.Record record = null;
            JsonNode payload = null;
            String payloadField = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "record" -> record = readRecord(p, t, line);
                    case "log", "spec", "connectionStatus", "catalog", "state", "trace", "control" -> {
                        payload = MAPPER.readTree(p);
                        payloadField = field;
                    }
                    default -> p.skipChildren();
                }
            }
            if (type == null) {
                throw new NotAMessage("JSON without a message type");
            }
            if (type.equals("RECORD")) {
                if (record == null) {
                    throw new NotAMessage("RECORD without a record object");
                }
                return record;
            }
            String expected = switch (type) {
                case "LOG" -> "log";
                case "SPEC" -> "spec";
                case "CONNECTION_STATUS" -> "connectionStatus";
                case "CATALOG" -> "catalog";
                case "STATE" -> "state";
                case "TRACE" -> "trace";
                case "CONTROL" -> "control";
                default -> null;
            };
            if (expected == null) {
                return new AirbyteMessage.Unknown(type);
            }
            if (payload == null || !expected.equals(payloadField) || !payload.isObject()) {
                throw new NotAMessage(type + " without a " + expected + " object");
            }
            return interpret(type, payload);
        } catch (JsonProcessingException e) {
            throw new NotAMessage("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AirbyteMessage.Record readRecord(JsonParser p, JsonToken t, byte[] line) throws IOException, NotAMessage {
        if (t != JsonToken.START_OBJECT) {
            throw new NotAMessage("record is not an object");
        }
        String stream = null;
        String namespace = null;
        long emittedAt = 0;
        RawJson data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "stream" -> stream = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "namespace" -> namespace = v == JsonToken.VALUE_STRING ? p.getText() : null;
                case "emitted_at" -> emittedAt = v.isNumeric() ? p.getValueAsLong() : 0;
                case "data" -> {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentLocation().getByteOffset();
                    data = new RawJson(line, start, end - start);
                }
                default -> p.skipChildren();
            }
        }
        if (stream == null || stream.isEmpty()) {
            throw new NotAMessage("RECORD without a stream name");
        }
        if (data == null) {
            data = RawJson.of("{}");
        }
        return new AirbyteMessage.Record(new StreamDescriptor(namespace, stream), data, emittedAt);
    }

    private static AirbyteMessage interpret(String type, JsonNode n) throws NotAMessage {
        return switch (type) {
            case "LOG" -> new AirbyteMessage.Log(text(n, "level", "INFO"), text(n, "message", ""), text(n, "stack_trace", null));
            case "SPEC" -> new AirbyteMessage.Spec(n);
            case "CONNECTION_STATUS" -> new AirbyteMessage.ConnectionStatus(
                    "SUCCEEDED".equals(text(n, "status", null)), text(n, "message", null));
            case "CATALOG" -> new AirbyteMessage.Catalog(n);
            case "STATE" -> state(n);
            case "TRACE" -> trace(n);
            case "CONTROL" -> new AirbyteMessage.Control(text(n, "type", null), n);
            default -> throw new IllegalStateException(type);
        };
    }

    private static AirbyteMessage state(JsonNode n) throws NotAMessage {
        String t = text(n, "type", null);
        if (t == null || t.equals("LEGACY")) {
            JsonNode data = n.get("data");
            return new AirbyteMessage.State(StateType.LEGACY, null,
                    data == null ? JsonNodeFactory.instance.objectNode() : data);
        }
        return switch (t) {
            case "STREAM" -> {
                StreamDescriptor d = descriptor(n.path("stream").path("stream_descriptor"));
                if (d == null) {
                    throw new NotAMessage("STREAM state without stream_descriptor");
                }
                yield new AirbyteMessage.State(StateType.STREAM, d, n);
            }
            case "GLOBAL" -> new AirbyteMessage.State(StateType.GLOBAL, null, n);
            default -> throw new NotAMessage("STATE of unknown type " + t);
        };
    }

    private static AirbyteMessage trace(JsonNode n) {
        String t = text(n, "type", "");
        return switch (t) {
            case "ERROR" -> {
                JsonNode e = n.path("error");
                yield new AirbyteMessage.TraceError(descriptor(e.path("stream_descriptor")), text(e, "message", null),
                        text(e, "internal_message", null), text(e, "failure_type", null));
            }
            case "STREAM_STATUS" -> {
                JsonNode s = n.path("stream_status");
                StreamDescriptor d = descriptor(s.path("stream_descriptor"));
                yield d == null ? new AirbyteMessage.Unknown("TRACE/STREAM_STATUS")
                        : new AirbyteMessage.StreamStatus(d, text(s, "status", ""));
            }
            case "ESTIMATE" -> {
                JsonNode e = n.path("estimate");
                String name = text(e, "name", null);
                yield new AirbyteMessage.Estimate(name == null || name.isEmpty() ? null
                        : new StreamDescriptor(text(e, "namespace", null), name), text(e, "type", null),
                        e.path("row_estimate").asLong(-1), e.path("byte_estimate").asLong(-1));
            }
            default -> new AirbyteMessage.Unknown("TRACE/" + t);
        };
    }

    private static StreamDescriptor descriptor(JsonNode d) {
        String name = text(d, "name", null);
        return name == null || name.isEmpty() ? null : new StreamDescriptor(text(d, "namespace", null), name);
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.isValueNode() ? v.asText() : v.toString();
    }
}
