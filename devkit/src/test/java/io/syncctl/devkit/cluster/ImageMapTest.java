package io.syncctl.devkit.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageMapTest {

    private final ImageMap images = ImageMap.defaults(Path.of("/repo")).with(Map.of("test/echo:1.0", "echo hi"));

    @Test
    void imagesMapByRepositoryWhateverTheirTagOrDigest() {
        assertEquals(Optional.of("/repo/sidecar/bin/sidecar"), images.commandFor("syncctl/sidecar:0.1.0"));
        assertEquals(Optional.of("/repo/sidecar/bin/sidecar"), images.commandFor("syncctl/sidecar"));
        assertEquals(Optional.of("/repo/devkit/bin/source-synthetic"), images.commandFor("syncctl/source-synthetic@sha256:abc"));
        assertEquals(Optional.of("sh"), images.commandFor("busybox:1.36"));
        assertEquals(Optional.of("echo hi"), images.commandFor("test/echo:2.0"));
    }

    @Test
    void aRegistryHostOrDockerHubLibraryPrefixDoesNotMatter() {
        assertEquals(Optional.of("sh"), images.commandFor("docker.io/library/busybox:1.36"));
        assertEquals(Optional.of("/repo/sidecar/bin/sidecar"), images.commandFor("localhost:5000/syncctl/sidecar:dev"));
    }

    @Test
    void otherImagesAreUnknown() {
        assertEquals(Optional.empty(), images.commandFor("airbyte/source-postgres:3.6.0"));
        assertEquals(Optional.empty(), images.commandFor("syncctl/sidecar-old:1"));
    }

    @Test
    void overridesReplaceDefaults() {
        assertEquals(Optional.of("/elsewhere/sidecar"),
                images.with(Map.of("syncctl/sidecar", "/elsewhere/sidecar")).commandFor("syncctl/sidecar:1"));
    }

    @Test
    void repositoryDropsTagAndDigestButKeepsRegistryPort() {
        assertEquals("registry:5000/org/name", ImageMap.repository("registry:5000/org/name:tag@sha256:0123"));
        assertEquals("registry:5000/org/name", ImageMap.repository("registry:5000/org/name"));
    }
}
