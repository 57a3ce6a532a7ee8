package io.syncctl.shared.destination;

import java.util.List;

/**
 * A destination the sidecar can write, and the {@code destinationConfig} fields it cannot do without.
 *
 * @param name     the {@code destinationType} value the console sends
 * @param required field names that must be present and not blank
 */
public record DestinationType(String name, List<String> required) {
    public DestinationType {
        required = List.copyOf(required);
    }
}
