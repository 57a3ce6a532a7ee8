package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.syncctl.devkit.source.SourceRun.catalog;
import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureInjectionTest {
    @TempDir
    Path dir;

    private String[] readArgs(String config, String catalog) {
        return new String[] {"read", "--config", write(dir, "config.json", config).toString(),
                "--catalog", write(dir, "catalog.json", catalog).toString()};
    }

    private SourceRun read(String config, String catalog) {
        return SourceRun.of(readArgs(config, catalog));
    }

    @Test
    void crashAfterExitsWithCode1AfterThatManyRecordsInTotal() {
        SourceRun run = read("{\"records_per_stream\":1000,\"crash_after\":1500}",
                catalog("stream_1", "full_refresh", "stream_2", "full_refresh"));

        assertEquals(1, run.exitCode());
        assertEquals(1000, run.records("stream_1").size());
        assertEquals(500, run.records("stream_2").size());
        assertEquals(List.of(), run.nonJsonLines(), "flushed whole lines before exiting");
        assertTrue(run.stderr().contains("crash_after"));
    }

    @Test
    void crashAfterKeepsTheCheckpointsBeforeIt() {
        SourceRun run = read("{\"incremental\":true,\"records_per_stream\":5000,\"checkpoint_every\":1000,\"crash_after\":2500}",
                catalog("stream_1", "incremental"));

        assertEquals(1, run.exitCode());
        assertEquals(2500, run.records().size());
        assertEquals(List.of("2024-01-01T00:16:40Z", "2024-01-01T00:33:20Z"), run.streamStates("stream_1").stream()
                .map(s -> s.path("stream").path("stream_state").path("updated_at").asText()).toList());
    }

    @Test
    void crashAfterZeroEmitsNoRecord() {
        SourceRun run = read("{\"crash_after\":0}", catalog("stream_1", "full_refresh"));

        assertEquals(1, run.exitCode());
        assertEquals(0, run.records().size());
    }

    @Test
    void errorStreamFailsAfterItsFirstCheckpointAndTheNextStreamCompletes() {
        SourceRun run = read("{\"incremental\":true,\"records_per_stream\":2500,\"checkpoint_every\":1000,\"error_stream\":\"stream_1\"}",
                catalog("stream_1", "incremental", "stream_2", "incremental"));

        assertEquals(0, run.exitCode());
        assertEquals(1000, run.records("stream_1").size());
        assertEquals(1, run.streamStates("stream_1").size());
        assertEquals(2500, run.records("stream_2").size());
        JsonNode error = run.traces("ERROR").get(0).get("error");
        assertEquals("stream_1", error.path("stream_descriptor").path("name").asText());
        assertTrue(run.logs("ERROR").get(0).get("message").asText().contains("stream_1"));
        // The error comes after stream_1's checkpoint and before anything of stream_2.
        List<JsonNode> messages = run.messages();
        int state = messages.indexOf(run.ofType("STATE").findFirst().orElseThrow());
        int trace = messages.indexOf(run.ofType("TRACE").filter(m -> m.path("trace").has("error")).findFirst().orElseThrow());
        int stream2 = messages.indexOf(run.ofType("TRACE").filter(m -> m.toString().contains("stream_2")).findFirst().orElseThrow());
        assertTrue(state < trace && trace < stream2, "state " + state + ", error " + trace + ", stream_2 " + stream2);
        List<String> statuses = run.traces("STREAM_STATUS").stream()
                .map(t -> t.path("stream_status").path("stream_descriptor").path("name").asText() + " "
                        + t.path("stream_status").path("status").asText())
                .toList();
        assertEquals(List.of("stream_1 STARTED", "stream_1 RUNNING", "stream_1 INCOMPLETE",
                "stream_2 STARTED", "stream_2 RUNNING", "stream_2 COMPLETE"), statuses);
    }

    @Test
    void errorStreamReadInFullFailsAtTheSamePointWithoutState() {
        SourceRun run = read("{\"records_per_stream\":2500,\"checkpoint_every\":1000,\"error_stream\":\"stream_2\"}",
                catalog("stream_1", "full_refresh", "stream_2", "full_refresh"));

        assertEquals(0, run.exitCode());
        assertEquals(2500, run.records("stream_1").size());
        assertEquals(1000, run.records("stream_2").size());
        assertEquals(0, run.ofType("STATE").count());
        assertEquals("stream_2", run.traces("ERROR").get(0).path("error").path("stream_descriptor").path("name").asText());
    }

    @Test
    void garbageLinesAreNotJsonAndRecordsStayIntact() {
        SourceRun run = read("{\"records_per_stream\":300,\"garbage_lines\":true}",
                catalog("stream_1", "full_refresh", "stream_2", "full_refresh"));

        assertEquals(0, run.exitCode());
        assertEquals(600, run.records().size());
        assertTrue(run.nonJsonLines().size() >= 3, "garbage lines on stdout: " + run.nonJsonLines());
        assertFalse(run.stderr().isBlank());
    }

    @Test
    void aSlowSourceFlushesEveryRecord() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int[] flushes = {0};
        FilterOutputStream counting = new FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                flushes[0]++;
                super.flush();
            }
        };
        int exitCode = SyntheticSource.run(readArgs("{\"records_per_stream\":5,\"sleep_ms_per_record\":1}",
                catalog("stream_1", "full_refresh")), counting, new ByteArrayOutputStream());

        assertEquals(0, exitCode);
        assertEquals(5, SourceRun.parse(exitCode, bytes.toString(StandardCharsets.UTF_8), "").records().size());
        assertTrue(flushes[0] >= 5, "flushed " + flushes[0] + " times");
    }
}
