package io.syncctl.shared.destination;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one list of destination types this build writes and the fields each needs. The api checks a read's
 * {@code destinationConfig} against it before queueing anything (the console shows the 400 at once); the
 * sidecar checks it again before opening the destination, so the two can never disagree.
 * A type joins this list in the same change that gives the sidecar its writer.
 */
public final class DestinationTypes {
    public static final List<DestinationType> ALL = List.of(
            new DestinationType("postgres", List.of("host", "database")),
            new DestinationType("bulker", List.of("url")));

    private DestinationTypes() {
    }

    public static Optional<DestinationType> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** "postgres, bulker": for messages. */
    public static String names() {
        return ALL.stream().map(DestinationType::name).collect(Collectors.joining(", "));
    }

    /**
     * Returns the config's type when it is supported and has every required field.
     *
     * @throws InvalidDestinationException naming the unsupported type or the first missing field
     */
    public static DestinationType check(JsonNode config) {
        if (config == null || !config.isObject()) {
            throw new InvalidDestinationException("destinationConfig must be a JSON object");
        }
        JsonNode typeNode = config.get("destinationType");
        String name = typeNode == null || !typeNode.isTextual() ? "" : typeNode.asText().trim();
        if (name.isEmpty()) {
            throw new InvalidDestinationException("destinationConfig.destinationType is required; supported: " + names());
        }
        DestinationType type = named(name).orElseThrow(() -> new InvalidDestinationException(
                "destinationConfig.destinationType '" + shortened(name) + "' is not supported; supported: " + names()));
        for (String field : type.required()) {
            JsonNode v = config.get(field);
            if (v == null || v.isNull() || v.isContainerNode() || v.asText().isBlank()) {
                throw new InvalidDestinationException("destinationConfig." + field + " is required for destinationType "
                        + type.name());
            }
        }
        return type;
    }

    private static String shortened(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
