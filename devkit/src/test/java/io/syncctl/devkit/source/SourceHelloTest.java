package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.syncctl.devkit.source.SourceRun.catalog;
import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shell connector {@code examples/source-hello.sh} (the template of {@code ./syncctl try}) as a
 * process: every line on stdout a protocol message, each command answering as its README says.
 */
class SourceHelloTest {
    private static final Path SCRIPT = Path.of("examples/source-hello.sh").toAbsolutePath();
    @TempDir
    Path dir;

    private SourceRun exec(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "source-hello finished");
        SourceRun run = SourceRun.parse(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        assertEquals(List.of(), run.nonJsonLines(), "stdout holds protocol messages only");
        return run;
    }

    @Test
    void specDeclaresTheConfigWithItsSecret() throws Exception {
        SourceRun run = exec("spec");
        assertEquals(0, run.exitCode());
        JsonNode properties = run.ofType("SPEC").findFirst().orElseThrow().path("spec").path("connectionSpecification").path("properties");
        assertEquals("string", properties.path("greeting").path("type").asText());
        assertEquals(3, properties.path("count").path("default").asInt());
        assertTrue(properties.path("api_key").path("airbyte_secret").asBoolean());
    }

    @Test
    void checkSucceedsOrSaysWhatIsWrong() throws Exception {
        assertEquals("SUCCEEDED", status(exec("check", "--config", write(dir, "c.json", "{\"greeting\":\"hi\",\"count\":2}").toString())));
        SourceRun empty = exec("check", "--config", write(dir, "e.json", "{\"greeting\": \"\"}").toString());
        assertEquals("FAILED", status(empty));
        assertEquals("greeting must not be empty", connectionStatus(empty).path("message").asText());
        SourceRun negative = exec("check", "--config", write(dir, "n.json", "{\"count\":-1}").toString());
        assertEquals("count must be a non-negative integer, got -1", connectionStatus(negative).path("message").asText());
    }

    @Test
    void discoverOffersAnIncrementalAndAFullRefreshStream() throws Exception {
        JsonNode streams = exec("discover", "--config", write(dir, "c.json", "{}").toString())
                .ofType("CATALOG").findFirst().orElseThrow().path("catalog").path("streams");
        assertEquals("greetings", streams.path(0).path("name").asText());
        assertEquals("[\"full_refresh\",\"incremental\"]", streams.path(0).path("supported_sync_modes").toString());
        assertEquals("[[\"id\"]]", streams.path(0).path("source_defined_primary_key").toString());
        assertEquals("numbers", streams.path(1).path("name").asText());
    }

    @Test
    void readEmitsTheCatalogStreamsAndGoesOnAfterTheState() throws Exception {
        Path config = write(dir, "c.json", "{\"greeting\":\"hi there\",\"count\":2}");
        SourceRun first = exec("read", "--config", config.toString(),
                "--catalog", write(dir, "cat.json", catalog("greetings", "incremental", "numbers", "full_refresh")).toString());
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(List.of("hi there, world 1", "hi there, world 2"),
                first.records("greetings").stream().map(r -> r.path("data").path("message").asText()).toList());
        assertEquals(List.of(1, 4), first.records("numbers").stream().map(r -> r.path("data").path("square").asInt()).toList());
        JsonNode state = first.streamStates("greetings").getFirst();
        assertEquals(2, state.path("stream").path("stream_state").path("id").asInt());

        // The state as the console rebuilds it from source_state: a list of STREAM states.
        SourceRun next = exec("read", "--config", config.toString(),
                "--catalog", write(dir, "only.json", catalog("greetings", "incremental")).toString(),
                "--state", write(dir, "state.json", "[" + state + "]").toString());
        assertEquals(List.of(3, 4), next.records("greetings").stream().map(r -> r.path("data").path("id").asInt()).toList());
        assertEquals(List.of(), next.records("numbers"));
        assertEquals(4, next.streamStates("greetings").getFirst().path("stream").path("stream_state").path("id").asInt());
    }

    @Test
    void aBadCommandLineExits2WithAMessage() throws Exception {
        SourceRun run = exec("read", "--config", write(dir, "c.json", "{}").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.stderr().contains("read needs --catalog FILE"), run.stderr());
        assertEquals(2, exec("nonsense").exitCode());
    }

    private static JsonNode connectionStatus(SourceRun run) {
        return run.ofType("CONNECTION_STATUS").findFirst().orElseThrow().path("connectionStatus");
    }

    private static String status(SourceRun run) {
        return connectionStatus(run).path("status").asText();
    }
}
