package io.syncctl.shared.protocol;

/**
 * Names one stream of a connector. {@link #key()} is how the stream is named everywhere outside the
 * connector: in {@code source_state.stream}, in per-stream statistics and in destination routing.
 */
public record StreamDescriptor(String namespace, String name) {
    public StreamDescriptor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("stream has no name");
        }
        if (namespace != null && namespace.isEmpty()) {
            namespace = null;
        }
    }

    /** {@code namespace.name}, or {@code name} when the stream has no namespace. */
    public String key() {
        return namespace == null ? name : namespace + "." + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
