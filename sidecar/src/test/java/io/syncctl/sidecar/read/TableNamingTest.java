package io.syncctl.sidecar.read;

import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.sidecar.read.TableNaming.Target;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableNamingTest {
    private final StreamDescriptor users = new StreamDescriptor("public", "users");
    private final StreamDescriptor bare = new StreamDescriptor(null, "users");

    @Test
    void legacyHasNoNamespaceAndNamesTheTableByNamespaceDotName() {
        assertEquals(new Target(null, "public.users"), TableNaming.of("${LEGACY}", "", users, null));
        assertEquals(new Target(null, "users"), TableNaming.of("${LEGACY}", "", bare, null));
        assertEquals(new Target(null, "raw_public.users"), TableNaming.of("${LEGACY}", "raw_", users, null));
        assertEquals(new Target(null, "public_public.users"), TableNaming.of("${LEGACY}", "${SOURCE_NAMESPACE}_", users, null));
        assertEquals(new Target(null, "people"), TableNaming.of("${LEGACY}", "raw_", users, "people"));
    }

    @Test
    void aNamespaceNamesTheSchemaAndTheTableIsPrefixPlusName() {
        assertEquals(new Target("analytics", "users"), TableNaming.of("analytics", "", users, null));
        assertEquals(new Target("src_public", "public_users"), TableNaming.of(" src_${SOURCE_NAMESPACE} ", "${SOURCE_NAMESPACE}_", users, null));
        assertEquals(new Target("analytics", "people"), TableNaming.of("analytics", "raw_", users, "people"));
    }

    @Test
    void anEmptyNamespaceMeansTheDestinationsDefault() {
        assertEquals(new Target(null, "users"), TableNaming.of("", "", users, null));
        assertEquals(new Target(null, "users"), TableNaming.of(null, null, users, null));
        assertEquals(new Target(null, "x_users"), TableNaming.of("${SOURCE_NAMESPACE}", "x_", bare, null));
        assertEquals(new Target(null, "x_users"), TableNaming.of("  ", "x_", bare, ""));
    }
}
