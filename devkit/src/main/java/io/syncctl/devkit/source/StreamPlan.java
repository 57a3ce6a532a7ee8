package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** One configured catalog stream, as read will treat it. */
sealed interface StreamPlan {
    String name();

    /** A stream this source has: emit ids {@code afterId + 1} onwards. */
    record Readable(String name, int index, boolean incremental, long afterId) implements StreamPlan {
    }

    /** A configured stream the source cannot read as asked; read reports it as a stream error. */
    record Rejected(String name, String reason) implements StreamPlan {
    }

    /** The plan for a configured catalog ({@code {"streams":[{"stream":{"name":..},"sync_mode":..}]}}). */
    static List<StreamPlan> of(JsonNode configuredCatalog, SyntheticConfig config, IncomingState state) {
        JsonNode streams = configuredCatalog.path("streams");
        if (!streams.isArray()) throw new InvalidConfigException("catalog must be an object with a 'streams' array");
        List<StreamPlan> plans = new ArrayList<>();
        for (JsonNode configured : streams) {
            String name = configured.path("stream").path("name").asText("");
            if (name.isEmpty()) throw new InvalidConfigException("every catalog stream needs stream.name");
            plans.add(plan(name, configured.path("sync_mode").asText("full_refresh"), config, state));
        }
        return plans;
    }

    private static StreamPlan plan(String name, String syncMode, SyntheticConfig config, IncomingState state) {
        int index = indexOf(name, config.streams());
        if (index == 0) {
            return new Rejected(name, "stream " + name + " does not exist: this source has "
                    + (config.streams() == 0 ? "no streams" : "stream_1 to " + SyntheticConfig.streamName(config.streams())));
        }
        return switch (syncMode) {
            case "full_refresh" -> new Readable(name, index, false, 0);
            case "incremental" -> config.incremental()
                    ? new Readable(name, index, true, state.lastId(name))
                    : new Rejected(name, "stream " + name + " supports only full_refresh (set incremental: true)");
            default -> new Rejected(name, "stream " + name + " has unknown sync_mode '" + syncMode + "'");
        };
    }

    /** 1-based index of a stream named {@code stream_<n>}, or 0 when this source has no such stream. */
    private static int indexOf(String name, int streams) {
        String prefix = "stream_";
        if (!name.startsWith(prefix)) return 0;
        String digits = name.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(Character::isDigit) || digits.startsWith("0")) return 0;
        int index = Integer.parseInt(digits);
        return index <= streams ? index : 0;
    }
}
