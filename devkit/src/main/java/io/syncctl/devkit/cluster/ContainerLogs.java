package io.syncctl.devkit.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reads a container's log file, whole or its last lines ({@code tailLines}). */
final class ContainerLogs {

    private ContainerLogs() {
    }

    static String read(Path file, Integer tailLines) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        if (tailLines == null) {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        }
        Deque<String> last = new ArrayDeque<>();
        // An InputStreamReader replaces malformed bytes instead of failing: containers print anything.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (tailLines <= 0) {
                    break;
                }
                if (last.size() == tailLines) {
                    last.removeFirst();
                }
                last.addLast(line);
            }
        } catch (NoSuchFileException e) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        last.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }
}
