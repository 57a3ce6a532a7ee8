package io.syncctl.sidecar.destination;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.sidecar.destination.bulker.BulkerDestination;
import io.syncctl.sidecar.destination.postgres.PostgresDestination;
import io.syncctl.sidecar.destination.s3.S3Destination;

/** Picks the destination named by {@code destinationConfig.destinationType}. */
public final class Destinations {
    private Destinations() {
    }

    public static Destination create(JsonNode config, SidecarSettings env) {
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException("destinationConfig.json is missing or not a JSON object");
        }
        String type = config.path("destinationType").asText("");
        return switch (type) {
            case "postgres" -> PostgresDestination.from(config, env.options(), env.taskId());
            case "bulker" -> BulkerDestination.from(config, env.options(), env.syncId(), env.taskId());
            case "s3" -> S3Destination.from(config);
            default -> throw new IllegalArgumentException(
                    "destinationConfig.destinationType must be postgres, s3 or bulker" + (type.isEmpty() ? "" : ", not " + type));
        };
    }
}
