package io.syncctl.shared.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shapes of a read's incoming {@code state} (CONTRACT section 2). The console rebuilds it from
 * {@code source_state} rows: a bare object (the {@code _LEGACY_STATE} row), or an array of
 * {@code {"type":"GLOBAL","global":<row>}} or {@code {"type":"STREAM","stream":{"stream_descriptor":..,
 * "stream_state":<row>}}}. Rows now hold the inner object as the Go sidecar stores it; earlier syncctl
 * versions stored the whole state object, so their rows come back wrapped twice:
 * {@code {"type":"STREAM","stream":{..,"stream_state":{"type":"STREAM","stream":{..,"stream_state":X}}}}}
 * and {@code {"type":"GLOBAL","global":{"type":"GLOBAL","global":X}}}. {@link #unwrap} turns exactly
 * those back into the shape the connector expects; everything else passes through untouched.
 */
public final class StateShapes {
    /** Floats as BigDecimal: a rewritten state keeps every digit of a cursor. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private StateShapes() {
    }

    /**
     * The state with double-wrapped elements unwrapped. Returns {@code raw} itself (the same text, byte
     * for byte) when nothing needs unwrapping, including when it is not valid JSON or not an array.
     */
    public static String unwrap(String raw) {
        if (raw == null || !raw.stripLeading().startsWith("[") || !raw.contains("\"type\"")) {
            return raw; // legacy bare objects were never wrapped; an array without "type" has nothing to unwrap
        }
        JsonNode state;
        try {
            state = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return raw;
        }
        if (!(state instanceof ArrayNode array)) {
            return raw;
        }
        boolean changed = false;
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            JsonNode fixed = unwrapElement(element);
            if (fixed != element) {
                array.set(i, fixed);
                changed = true;
            }
        }
        return changed ? array.toString() : raw;
    }

    /** One element of the state array, unwrapped when it is wrapped twice, else the same node. */
    static JsonNode unwrapElement(JsonNode element) {
        if (!(element instanceof ObjectNode e)) {
            return element;
        }
        switch (e.path("type").asText("")) {
            case "STREAM" -> {
                JsonNode inner = e.path("stream").get("stream_state");
                if (e.get("stream") instanceof ObjectNode && isWhole(inner, "STREAM", "stream")
                        && inner.get("stream").has("stream_state")) {
                    ObjectNode copy = e.deepCopy();
                    // the console's descriptor (from the row key, i.e. the catalog's) with the inner state
                    ((ObjectNode) copy.get("stream")).set("stream_state", inner.get("stream").get("stream_state"));
                    return copy;
                }
            }
            case "GLOBAL" -> {
                JsonNode inner = e.get("global");
                if (isWhole(inner, "GLOBAL", "global")) {
                    ObjectNode copy = e.deepCopy();
                    copy.set("global", inner.get("global"));
                    return copy;
                }
            }
            default -> {
                // LEGACY elements and unknown types were never wrapped
            }
        }
        return element;
    }

    /** A whole state object of {@code type}: {@code {"type": type, field: {...}}}. */
    private static boolean isWhole(JsonNode node, String type, String field) {
        return node instanceof ObjectNode o && type.equals(o.path("type").asText()) && o.get(field) instanceof ObjectNode;
    }
}
