package io.syncctl.shared.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** The instance id used in metrics when SYNCCTL_INSTANCE_ID is not set: generated once, kept in ~/.syncctl/instance_id. */
public final class InstanceId {
    private InstanceId() {
    }

    public static String loadOrCreate() {
        return loadOrCreate(Path.of(System.getProperty("user.home"), ".syncctl", "instance_id"));
    }

    static String loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(file.getParent());
            String id = UUID.randomUUID().toString();
            Path tmp = Files.createTempFile(file.getParent(), "instance_id", ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                // Two processes starting at once: linking fails if the file exists, so the first one wins
                // and the other reads the winner's id.
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // someone else was first
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            // A read-only home (common in containers) must not stop the service: metrics just get a fresh id.
            return UUID.randomUUID().toString();
        }
    }
}
