package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecCheckDiscoverTest {
    @TempDir
    Path dir;

    @Test
    void specDocumentsEveryOptionAndMarksTheSecret() {
        SourceRun run = SourceRun.of("spec");

        assertEquals(0, run.exitCode());
        assertEquals(List.of("SPEC"), run.messages().stream().map(m -> m.get("type").asText()).toList());
        JsonNode properties = run.messages().get(0).path("spec").path("connectionSpecification").path("properties");
        Set<String> documented = new HashSet<>();
        properties.fieldNames().forEachRemaining(documented::add);
        assertEquals(SyntheticConfig.OPTIONS, documented);
        properties.fields().forEachRemaining(p -> {
            assertFalse(p.getValue().path("description").asText().isBlank(), p.getKey() + " has a description");
            assertFalse(p.getValue().path("type").asText().isBlank(), p.getKey() + " has a type");
        });
        assertTrue(properties.path("api_key").path("airbyte_secret").asBoolean());
        assertEquals(2, properties.path("streams").path("default").asInt());
        assertEquals(1000, properties.path("records_per_stream").path("default").asInt());
        assertEquals(200, properties.path("record_bytes").path("default").asInt());
        assertEquals(42, properties.path("seed").path("default").asInt());
    }

    @Test
    void checkSucceedsWithDefaultConfig() {
        SourceRun run = SourceRun.of("check", "--config", write(dir, "config.json", "{}").toString());

        assertEquals(0, run.exitCode());
        JsonNode status = run.ofType("CONNECTION_STATUS").findFirst().orElseThrow().get("connectionStatus");
        assertEquals("SUCCEEDED", status.get("status").asText());
    }

    @Test
    void checkFailsWithTheInjectedMessage() {
        SourceRun run = SourceRun.of("check", "--config",
                write(dir, "config.json", "{\"fail_check\":\"wrong password for db.example\"}").toString());

        assertEquals(0, run.exitCode());
        JsonNode status = run.ofType("CONNECTION_STATUS").findFirst().orElseThrow().get("connectionStatus");
        assertEquals("FAILED", status.get("status").asText());
        assertEquals("wrong password for db.example", status.get("message").asText());
    }

    @Test
    void checkReportsAnInvalidConfigAsFailedNamingTheField() {
        SourceRun run = SourceRun.of("check", "--config",
                write(dir, "config.json", "{\"records_per_stream\":\"many\"}").toString());

        assertEquals(0, run.exitCode());
        JsonNode status = run.ofType("CONNECTION_STATUS").findFirst().orElseThrow().get("connectionStatus");
        assertEquals("FAILED", status.get("status").asText());
        assertEquals("invalid config: records_per_stream must be an integer, got a string", status.get("message").asText());
    }

    @Test
    void discoverListsTheConfiguredNumberOfFullRefreshStreams() {
        SourceRun run = SourceRun.of("discover", "--config", write(dir, "config.json", "{\"streams\":3}").toString());

        assertEquals(0, run.exitCode());
        List<JsonNode> catalogs = run.ofType("CATALOG").toList();
        assertEquals(1, catalogs.size());
        JsonNode streams = catalogs.get(0).path("catalog").path("streams");
        assertEquals(List.of("stream_1", "stream_2", "stream_3"),
                streams.findValuesAsText("name").stream().filter(n -> n.startsWith("stream_")).toList());
        JsonNode first = streams.get(0);
        assertEquals("[\"full_refresh\"]", first.get("supported_sync_modes").toString());
        assertFalse(first.has("source_defined_primary_key"));
        JsonNode schema = first.path("json_schema").path("properties");
        assertEquals("integer", schema.path("id").path("type").asText());
        assertEquals("date-time", schema.path("updated_at").path("format").asText());
        assertEquals("string", schema.path("name").path("type").asText());
        assertEquals("number", schema.path("amount").path("type").asText());
        assertEquals("boolean", schema.path("active").path("type").asText());
        assertEquals("string", schema.path("payload").path("type").asText());
    }

    @Test
    void incrementalDiscoverOffersCursorAndPrimaryKey() {
        SourceRun run = SourceRun.of("discover", "--config", write(dir, "config.json", "{\"incremental\":true}").toString());

        JsonNode stream = run.ofType("CATALOG").findFirst().orElseThrow().path("catalog").path("streams").get(0);
        assertEquals("[\"full_refresh\",\"incremental\"]", stream.get("supported_sync_modes").toString());
        assertTrue(stream.get("source_defined_cursor").asBoolean());
        assertEquals("[\"updated_at\"]", stream.get("default_cursor_field").toString());
        assertEquals("[[\"id\"]]", stream.get("source_defined_primary_key").toString());
    }

    @Test
    void discoverFailsWithTheInjectedMessage() {
        SourceRun run = SourceRun.of("discover", "--config",
                write(dir, "config.json", "{\"fail_discover\":\"schema registry unreachable\"}").toString());

        assertEquals(1, run.exitCode());
        assertEquals(0, run.ofType("CATALOG").count());
        assertEquals("schema registry unreachable", run.logs("ERROR").get(0).get("message").asText());
        JsonNode error = run.traces("ERROR").get(0).get("error");
        assertEquals("schema registry unreachable", error.get("message").asText());
    }

    @Test
    void aLoggedSecretAppearsOnlyWhenAskedFor() {
        String secret = "sk-live-7f3a9c";
        SourceRun quiet = SourceRun.of("check", "--config",
                write(dir, "quiet.json", "{\"api_key\":\"" + secret + "\"}").toString());
        SourceRun loud = SourceRun.of("check", "--config",
                write(dir, "loud.json", "{\"api_key\":\"" + secret + "\",\"log_secret\":true}").toString());

        assertFalse(quiet.stdoutText().contains(secret) || quiet.stderr().contains(secret));
        assertTrue(loud.logs("INFO").stream().anyMatch(l -> l.get("message").asText().contains(secret)));
        assertTrue(loud.stderr().contains(secret));
    }
}
