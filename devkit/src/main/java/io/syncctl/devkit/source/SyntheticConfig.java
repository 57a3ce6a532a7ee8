package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The synthetic source's configuration. Every option is optional; {@link #OPTIONS} lists them all
 * and the spec documents each one (a test keeps the two in step).
 */
public record SyntheticConfig(
        int streams,
        long recordsPerStream,
        int recordBytes,
        long seed,
        boolean incremental,
        long checkpointEvery,
        Optional<String> failCheck,
        Optional<String> failDiscover,
        OptionalLong crashAfter,
        Optional<String> errorStream,
        boolean garbageLines,
        long sleepMsPerRecord,
        Optional<String> apiKey,
        boolean logSecret,
        List<String> unknownOptions) {

    public static final Set<String> OPTIONS = Set.of(
            "streams", "records_per_stream", "record_bytes", "seed", "incremental", "checkpoint_every",
            "fail_check", "fail_discover", "crash_after", "error_stream", "garbage_lines",
            "sleep_ms_per_record", "api_key", "log_secret");

    /** Largest record_bytes accepted: big enough to test multi-megabyte lines, small enough to stay sane. */
    static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    public static SyntheticConfig defaults() {
        return parse(null);
    }

    /** Reads a config object; {@code null} or a missing node means all defaults. */
    public static SyntheticConfig parse(JsonNode config) {
        if (config != null && !config.isNull() && !config.isMissingNode() && !config.isObject()) {
            throw new InvalidConfigException("config must be a JSON object");
        }
        Reader r = new Reader(config);
        List<String> unknown = new ArrayList<>();
        if (config != null) {
            for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!OPTIONS.contains(name)) unknown.add(name);
            }
        }
        return new SyntheticConfig(
                (int) r.integer("streams", 2, 0, 10_000),
                r.integer("records_per_stream", 1000, 0, Long.MAX_VALUE),
                (int) r.integer("record_bytes", 200, 0, MAX_RECORD_BYTES),
                r.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                r.bool("incremental"),
                r.integer("checkpoint_every", 1000, 1, Long.MAX_VALUE),
                r.text("fail_check"),
                r.text("fail_discover"),
                r.optionalInteger("crash_after"),
                r.text("error_stream"),
                r.bool("garbage_lines"),
                r.integer("sleep_ms_per_record", 0, 0, 3_600_000),
                r.text("api_key"),
                r.bool("log_secret"),
                List.copyOf(unknown));
    }

    /** The name of stream number {@code index} (1-based). */
    public static String streamName(int index) {
        return "stream_" + index;
    }

    /** Typed access to optional fields; each error names the field and what it should be. */
    private record Reader(JsonNode config) {
        private JsonNode field(String name) {
            if (config == null) return null;
            JsonNode value = config.get(name);
            return value == null || value.isNull() ? null : value;
        }

        long integer(String name, long fallback, long min, long max) {
            OptionalLong value = optionalInteger(name, min, max);
            return value.isPresent() ? value.getAsLong() : fallback;
        }

        OptionalLong optionalInteger(String name) {
            return optionalInteger(name, 0, Long.MAX_VALUE);
        }

        private OptionalLong optionalInteger(String name, long min, long max) {
            JsonNode value = field(name);
            if (value == null) return OptionalLong.empty();
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw new InvalidConfigException(name + " must be an integer, got " + describe(value));
            }
            long v = value.longValue();
            if (v < min || v > max) {
                throw new InvalidConfigException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return OptionalLong.of(v);
        }

        boolean bool(String name) {
            JsonNode value = field(name);
            if (value == null) return false;
            if (!value.isBoolean()) {
                throw new InvalidConfigException(name + " must be true or false, got " + describe(value));
            }
            return value.booleanValue();
        }

        Optional<String> text(String name) {
            JsonNode value = field(name);
            if (value == null) return Optional.empty();
            if (!value.isTextual()) {
                throw new InvalidConfigException(name + " must be a string, got " + describe(value));
            }
            return Optional.of(value.textValue());
        }

        /** Names the JSON type only: the value itself might be a secret typed into the wrong field. */
        private static String describe(JsonNode value) {
            return "a " + value.getNodeType().name().toLowerCase();
        }
    }
}
