package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.syncctl.devkit.source.SourceRun.catalog;
import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets exit code 1 or 2 and a message naming the problem, never a stack trace. */
class BadInputTest {
    @TempDir
    Path dir;

    @Test
    void aBadCommandLineShowsUsageAndExits2() {
        for (String[] args : new String[][] {{}, {"sync"}, {"check"}, {"read", "--config", "c.json"}, {"spec", "--config", "c.json"}}) {
            SourceRun run = SourceRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args));
            assertTrue(run.stderr().contains("usage: source-synthetic"), run.stderr());
            assertFalse(run.stderr().contains("Exception"), run.stderr());
        }
    }

    @Test
    void aMissingConfigFileIsNamed() {
        SourceRun run = SourceRun.of("discover", "--config", dir.resolve("absent.json").toString());

        assertEquals(1, run.exitCode());
        assertEquals("config file " + dir.resolve("absent.json") + " does not exist", errorMessage(run));
        assertEquals(errorMessage(run), run.logs("ERROR").get(0).get("message").asText());
    }

    @Test
    void invalidJsonIsLocatedWithoutEchoingTheContent() {
        Path config = write(dir, "config.json", "{\"api_key\": hunter2}");
        SourceRun run = SourceRun.of("discover", "--config", config.toString());

        assertEquals(1, run.exitCode());
        assertTrue(errorMessage(run).startsWith("config file " + config + " is not valid JSON (line 1, column "), errorMessage(run));
        assertFalse(run.stdoutText().contains("hunter2"));
    }

    @Test
    void outOfRangeOptionsAreNamed() {
        SourceRun run = SourceRun.of("discover", "--config", write(dir, "config.json", "{\"checkpoint_every\":0}").toString());

        assertEquals(1, run.exitCode());
        assertEquals("checkpoint_every must be between 1 and 9223372036854775807, got 0", errorMessage(run));
    }

    @Test
    void aWrongTypedSecretIsNotEchoed() {
        SourceRun run = SourceRun.of("discover", "--config", write(dir, "config.json", "{\"api_key\":987654321}").toString());

        assertEquals("api_key must be a string, got a number", errorMessage(run));
        assertFalse(run.stdoutText().contains("987654321"));
    }

    @Test
    void unknownOptionsAreWarnedAbout() {
        SourceRun run = SourceRun.of("discover", "--config", write(dir, "config.json", "{\"stream\":3}").toString());

        assertEquals(0, run.exitCode());
        assertEquals("ignoring unknown config options [stream]", run.logs("WARN").get(0).get("message").asText());
    }

    @Test
    void aStateWithoutACursorIsNamed() {
        SourceRun run = SourceRun.of("read",
                "--config", write(dir, "config.json", "{\"incremental\":true}").toString(),
                "--catalog", write(dir, "catalog.json", catalog("stream_1", "incremental")).toString(),
                "--state", write(dir, "state.json", "{\"stream_1\":{\"updated_at\":\"yesterday\"}}").toString());

        assertEquals(1, run.exitCode());
        assertEquals(0, run.records().size());
        assertEquals("state of stream_1 needs an RFC 3339 'updated_at' cursor, got 'yesterday'", errorMessage(run));
    }

    @Test
    void aCatalogWithoutStreamsIsNamed() {
        SourceRun run = SourceRun.of("read",
                "--config", write(dir, "config.json", "{}").toString(),
                "--catalog", write(dir, "catalog.json", "[]").toString());

        assertEquals(1, run.exitCode());
        assertEquals("catalog must be an object with a 'streams' array", errorMessage(run));
    }

    private static String errorMessage(SourceRun run) {
        JsonNode error = run.traces("ERROR").get(0).get("error");
        assertEquals("config_error", error.get("failure_type").asText());
        return error.get("message").asText();
    }
}
