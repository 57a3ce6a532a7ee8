package io.syncctl.sidecar.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.protocol.StreamDescriptor;

import java.util.HashSet;
import java.util.Set;

/**
 * Which streams start from a stored state ({@code state.json}): an incremental stream with state appends,
 * one without replaces. The file holds what the console rebuilt from {@code source_state}
 * ({@link io.syncctl.shared.state.StateShapes}): a bare legacy object (covers every stream), an array of
 * {@code {"type":"STREAM","stream":{"stream_descriptor":..}}} (the streams named) or of
 * {@code {"type":"GLOBAL","global":{"stream_states":[..]}}} (the streams listed there; every stream when
 * it lists none), or a single such object.
 */
public final class PriorState {
    private final Set<String> streams;
    private final boolean all;

    private PriorState(Set<String> streams, boolean all) {
        this.streams = streams;
        this.all = all;
    }

    public static PriorState none() {
        return new PriorState(Set.of(), false);
    }

    public static PriorState of(JsonNode state) {
        if (state == null || state.isNull() || state.isEmpty()) {
            return none();
        }
        Set<String> keys = new HashSet<>();
        boolean all = false;
        if (state.isArray()) {
            for (JsonNode s : state) {
                all |= add(s, keys);
            }
        } else if (state.isObject()) {
            all = state.has("type") || state.has("stream") || state.has("global") ? add(state, keys) : true;
        }
        return new PriorState(keys, all);
    }

    /** Returns true when the state covers every stream (legacy). */
    private static boolean add(JsonNode s, Set<String> keys) {
        switch (s.path("type").asText("")) {
            case "STREAM" -> key(s.path("stream").path("stream_descriptor"), keys);
            case "GLOBAL" -> {
                JsonNode global = s.path("global");
                if (global.isEmpty()) {
                    return false;
                }
                JsonNode listed = global.path("stream_states");
                if (listed.isEmpty()) {
                    return true; // a shared state alone (e.g. a CDC position) speaks for every stream
                }
                for (JsonNode ss : listed) {
                    key(ss.path("stream_descriptor"), keys);
                }
            }
            default -> {
                return !s.path("data").isMissingNode() && !s.path("data").isEmpty();
            }
        }
        return false;
    }

    private static void key(JsonNode d, Set<String> keys) {
        String name = d.path("name").asText("");
        if (!name.isEmpty()) {
            keys.add(new StreamDescriptor(d.path("namespace").asText(null), name).key());
        }
    }

    public boolean has(StreamDescriptor stream) {
        return all || streams.contains(stream.key());
    }
}
