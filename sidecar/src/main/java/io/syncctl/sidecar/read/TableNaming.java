package io.syncctl.sidecar.read;

import io.syncctl.shared.protocol.StreamDescriptor;

/**
 * Where a stream's records go, named as the Go sidecar names them (CONTRACT section 4). The prefix is
 * {@code tableNamePrefix} with {@code ${SOURCE_NAMESPACE}} replaced by the stream's namespace. With
 * {@code namespace=${LEGACY}} (the console's value for a sync without a namespace) there is no destination
 * namespace and the table is the configured {@code table_name}, else prefix + {@code namespace.name} (or
 * {@code name}); otherwise the destination namespace is {@code namespace} with {@code ${SOURCE_NAMESPACE}}
 * replaced and trimmed (empty: the destination's default), and the table is {@code table_name}, else
 * prefix + stream name. The names are logical: each destination adapts them to its identifier rules.
 */
public final class TableNaming {
    public static final String LEGACY = "${LEGACY}";
    public static final String SOURCE_NAMESPACE = "${SOURCE_NAMESPACE}";

    /** @param namespace null for the destination's default */
    public record Target(String namespace, String table) {
    }

    private TableNaming() {
    }

    /**
     * @param namespaceOption the read's {@code namespace} option (null when not given)
     * @param prefix          the read's {@code tableNamePrefix} (null or empty for none)
     * @param configuredTable the configured stream's {@code table_name}, or null
     */
    public static Target of(String namespaceOption, String prefix, StreamDescriptor stream, String configuredTable) {
        String sourceNamespace = stream.namespace() == null ? "" : stream.namespace();
        String p = prefix == null ? "" : prefix.replace(SOURCE_NAMESPACE, sourceNamespace);
        if (LEGACY.equals(namespaceOption)) {
            return new Target(null, nvl(configuredTable, p + stream.key()));
        }
        String ns = namespaceOption == null ? "" : namespaceOption.replace(SOURCE_NAMESPACE, sourceNamespace).trim();
        return new Target(ns.isEmpty() ? null : ns, nvl(configuredTable, p + stream.name()));
    }

    private static String nvl(String configured, String otherwise) {
        return configured == null || configured.isEmpty() ? otherwise : configured;
    }
}
