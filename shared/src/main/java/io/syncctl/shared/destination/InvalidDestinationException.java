package io.syncctl.shared.destination;

/** A {@code destinationConfig} the sidecar cannot write to. The message names the type or the field, never a value. */
public final class InvalidDestinationException extends IllegalArgumentException {
    public InvalidDestinationException(String message) {
        super(message);
    }
}
