package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One run of the source in-process: its exit code, its messages, the other stdout lines and stderr. */
record SourceRun(int exitCode, List<JsonNode> messages, List<String> nonJsonLines, String stderr) {
    static final ObjectMapper JSON = new ObjectMapper();

    static SourceRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = SyntheticSource.run(args, out, err);
        return parse(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static SourceRun parse(int exitCode, String stdout, String stderr) {
        List<JsonNode> messages = new ArrayList<>();
        List<String> other = new ArrayList<>();
        if (!stdout.isEmpty() && !stdout.endsWith("\n")) throw new AssertionError("stdout does not end with a newline");
        for (String line : stdout.split("\n", -1)) {
            if (line.isEmpty()) continue;
            try {
                JsonNode message = JSON.readTree(line);
                if (message == null || !message.isObject() || !message.has("type")) throw new AssertionError("not a message: " + line);
                messages.add(message);
            } catch (IOException e) {
                other.add(line);
            }
        }
        return new SourceRun(exitCode, messages, other, stderr);
    }

    static Path write(Path dir, String name, String json) {
        try {
            return Files.writeString(dir.resolve(name), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String catalog(String... streamAndMode) {
        StringBuilder b = new StringBuilder("{\"streams\":[");
        for (int i = 0; i < streamAndMode.length; i += 2) {
            if (i > 0) b.append(',');
            b.append("{\"stream\":{\"name\":\"").append(streamAndMode[i]).append("\",\"json_schema\":{}},\"sync_mode\":\"")
                    .append(streamAndMode[i + 1]).append("\",\"destination_sync_mode\":\"append\"}");
        }
        return b.append("]}").toString();
    }

    Stream<JsonNode> ofType(String type) {
        return messages.stream().filter(m -> type.equals(m.path("type").asText()));
    }

    List<JsonNode> records() {
        return ofType("RECORD").map(m -> m.get("record")).toList();
    }

    List<JsonNode> records(String stream) {
        return records().stream().filter(r -> stream.equals(r.path("stream").asText())).toList();
    }

    List<JsonNode> streamStates(String stream) {
        return ofType("STATE").map(m -> m.get("state"))
                .filter(s -> stream.equals(s.path("stream").path("stream_descriptor").path("name").asText()))
                .toList();
    }

    List<JsonNode> traces(String traceType) {
        return ofType("TRACE").map(m -> m.get("trace")).filter(t -> traceType.equals(t.path("type").asText())).toList();
    }

    List<JsonNode> logs(String level) {
        return ofType("LOG").map(m -> m.get("log")).filter(l -> level.equals(l.path("level").asText())).toList();
    }

    String stdoutText() {
        return messages.toString() + nonJsonLines;
    }
}
