package io.syncctl.sidecar.destination;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.destination.DestinationTypes;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.sidecar.destination.bulker.BulkerDestination;
import io.syncctl.sidecar.destination.postgres.PostgresDestination;

/** Picks the destination named by {@code destinationConfig.destinationType}. */
public final class Destinations {
    private Destinations() {
    }

    /**
     * @throws io.syncctl.shared.destination.InvalidDestinationException for a type this build does not write or
     *                                                                     a missing field (the api's rule)
     * @throws IllegalArgumentException                                     for a field a destination cannot use
     */
    public static Destination create(JsonNode config, SidecarSettings env) {
        return switch (DestinationTypes.check(config).name()) {
            case "postgres" -> PostgresDestination.from(config, env.options(), env.taskId());
            case "bulker" -> BulkerDestination.from(config, env.options(), env.syncId(), env.taskId());
            default -> throw new IllegalStateException("DestinationTypes lists a type without a writer");
        };
    }
}
