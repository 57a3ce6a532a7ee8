package io.syncctl.shared.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceIdTest {
    @Test
    void generatedOnceAndKept(@TempDir Path home) throws Exception {
        Path file = home.resolve(".syncctl").resolve("instance_id");
        String first = InstanceId.loadOrCreate(file);
        assertTrue(Files.isRegularFile(file));
        assertEquals(first, InstanceId.loadOrCreate(file));
        assertEquals(36, first.length());
    }

    @Test
    void unwritableHomeStillGivesAnId(@TempDir Path home) throws Exception {
        Path blocker = home.resolve("file");
        Files.writeString(blocker, "not a directory");
        assertEquals(36, InstanceId.loadOrCreate(blocker.resolve("instance_id")).length());
    }
}
