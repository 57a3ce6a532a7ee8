package io.syncctl.devkit.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static io.syncctl.devkit.source.SourceRun.catalog;
import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadTest {
    @TempDir
    Path dir;

    private SourceRun read(String config, String catalog, String... state) {
        Path configFile = write(dir, "config.json", config);
        Path catalogFile = write(dir, "catalog.json", catalog);
        if (state.length == 0) {
            return SourceRun.of("read", "--config", configFile.toString(), "--catalog", catalogFile.toString());
        }
        Path stateFile = write(dir, "state.json", state[0]);
        return SourceRun.of("read", "--config", configFile.toString(), "--catalog", catalogFile.toString(),
                "--state", stateFile.toString());
    }

    private static List<Long> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.path("data").path("id").asLong()).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void readsTheSelectedStreamsInCatalogOrder() {
        SourceRun run = read("{\"streams\":3,\"records_per_stream\":50}",
                catalog("stream_3", "full_refresh", "stream_1", "full_refresh"));

        assertEquals(0, run.exitCode());
        assertEquals(List.of(), run.nonJsonLines());
        assertEquals(100, run.records().size());
        assertEquals(List.of("stream_3", "stream_1"),
                run.records().stream().map(r -> r.get("stream").asText()).distinct().toList());
        assertEquals(range(1, 50), ids(run.records("stream_3")));
        assertEquals(0, run.ofType("STATE").count(), "full refresh has no state");
        assertEquals(List.of("STARTED", "RUNNING", "COMPLETE", "STARTED", "RUNNING", "COMPLETE"),
                run.traces("STREAM_STATUS").stream().map(t -> t.path("stream_status").path("status").asText()).toList());
        JsonNode record = run.records().get(0);
        assertTrue(record.get("emitted_at").isIntegralNumber());
        JsonNode data = record.get("data");
        assertTrue(data.get("id").isIntegralNumber());
        Instant.parse(data.get("updated_at").asText());
        assertTrue(data.get("name").isTextual());
        assertTrue(data.get("amount").isNumber());
        assertTrue(data.get("active").isBoolean());
        assertTrue(data.get("payload").isTextual());
    }

    @Test
    void theSameSeedGivesTheSameDataAndAnotherSeedOtherData() {
        String catalog = catalog("stream_1", "full_refresh", "stream_2", "full_refresh");
        List<String> first = data(read("{\"records_per_stream\":200}", catalog));
        List<String> again = data(read("{\"records_per_stream\":200,\"seed\":42}", catalog));
        List<String> other = data(read("{\"records_per_stream\":200,\"seed\":7}", catalog));

        assertEquals(first, again);
        assertNotEquals(first, other);
        assertEquals(400, first.stream().distinct().count(), "every record differs from every other");
        // Pinned: the same seed gives the same data on every machine and JVM, not just within one run.
        assertEquals("{\"id\":1,\"updated_at\":\"2024-01-01T00:00:01Z\",\"name\":\"sybil-8262\",\"amount\":63035.86,\"active\":true}",
                first.get(0).replaceAll(",\"payload\":\"[^\"]*\"", ""));
    }

    private static List<String> data(SourceRun run) {
        return run.records().stream().map(r -> r.get("data").toString()).toList();
    }

    @Test
    void recordsHaveAboutRecordBytes() {
        for (int bytes : new int[] {200, 1000, 100_000}) {
            SourceRun run = read("{\"streams\":1,\"records_per_stream\":100,\"record_bytes\":" + bytes + "}",
                    catalog("stream_1", "full_refresh"));
            for (JsonNode record : run.records()) {
                int size = record.get("data").toString().getBytes(StandardCharsets.UTF_8).length;
                // Re-serialising may drop a trailing zero of the amount (12.50 -> 12.5).
                assertTrue(size >= bytes - 2 && size <= bytes, "data of " + size + " bytes for record_bytes " + bytes);
            }
        }
        SourceRun tiny = read("{\"streams\":1,\"records_per_stream\":5,\"record_bytes\":0}", catalog("stream_1", "full_refresh"));
        assertEquals(5, tiny.records().size());
        assertTrue(tiny.records().stream().allMatch(r -> r.path("data").path("payload").asText().isEmpty()));
    }

    @Test
    void incrementalStateRoundTripEmitsOnlyNewRecords() {
        String config = "{\"incremental\":true,\"records_per_stream\":2500,\"checkpoint_every\":1000}";
        String catalog = catalog("stream_1", "incremental", "stream_2", "incremental");
        SourceRun first = read(config, catalog);

        assertEquals(range(1, 2500), ids(first.records("stream_1")));
        List<JsonNode> states = first.streamStates("stream_1");
        assertEquals(List.of("2024-01-01T00:16:40Z", "2024-01-01T00:33:20Z", "2024-01-01T00:41:40Z"),
                states.stream().map(s -> s.path("stream").path("stream_state").path("updated_at").asText()).toList());
        List<String> cursors = first.records("stream_1").stream().map(r -> r.path("data").path("updated_at").asText()).toList();
        assertEquals(cursors.stream().sorted().toList(), cursors, "cursor increases");
        JsonNode lastState = first.ofType("STATE").reduce((a, b) -> b).orElseThrow().get("state");
        assertEquals("2024-01-01T00:41:40Z", lastState.path("data").path("stream_1").path("updated_at").asText(),
                "the LEGACY data of the last state holds every stream");

        // The controller hands back the per-stream states it stored.
        String streamStates = "[" + first.streamStates("stream_1").get(2) + "," + first.streamStates("stream_2").get(2) + "]";
        SourceRun second = read(config, catalog, streamStates);
        assertEquals(range(2501, 5000), ids(second.records("stream_1")));
        assertEquals(range(2501, 5000), ids(second.records("stream_2")));

        // Or a LEGACY state: the data object of the last STATE message.
        SourceRun legacy = read(config, catalog, lastState.get("data").toString());
        assertEquals(data(second), data(legacy));
    }

    @Test
    void aStreamReadInFullIgnoresState() {
        SourceRun run = read("{\"incremental\":true,\"records_per_stream\":10}", catalog("stream_1", "full_refresh"),
                "{\"stream_1\":{\"updated_at\":\"2024-01-01T00:00:05Z\"}}");

        assertEquals(range(1, 10), ids(run.records("stream_1")));
    }

    @Test
    void otherStateShapesAreUnderstood() {
        String config = "{\"incremental\":true,\"records_per_stream\":3}";
        String catalog = catalog("stream_1", "incremental");
        String legacyMessage = "{\"type\":\"LEGACY\",\"data\":{\"stream_1\":{\"updated_at\":\"2024-01-01T00:00:10Z\"}}}";
        String global = "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{},\"stream_states\":[{\"stream_descriptor\":"
                + "{\"name\":\"stream_1\"},\"stream_state\":{\"updated_at\":\"2024-01-01T00:00:20Z\"}}]}}";

        assertEquals(range(11, 13), ids(read(config, catalog, legacyMessage).records()));
        assertEquals(range(21, 23), ids(read(config, catalog, global).records()));
        assertEquals(range(1, 3), ids(read(config, catalog, "{}").records()));
        assertEquals(range(1, 3), ids(read(config, catalog, "").records()));
    }

    @Test
    void streamsTheSourceCannotReadAsAskedAreStreamErrors() {
        SourceRun run = read("{\"records_per_stream\":5}",
                catalog("stream_1", "incremental", "orders", "full_refresh", "stream_2", "full_refresh"));

        assertEquals(0, run.exitCode());
        assertEquals(range(1, 5), ids(run.records("stream_2")));
        List<JsonNode> errors = run.traces("ERROR");
        assertEquals(List.of("stream_1", "orders"),
                errors.stream().map(e -> e.path("error").path("stream_descriptor").path("name").asText()).toList());
        assertEquals("stream stream_1 supports only full_refresh (set incremental: true)",
                errors.get(0).path("error").path("message").asText());
        assertEquals("stream orders does not exist: this source has stream_1 to stream_2",
                errors.get(1).path("error").path("message").asText());
    }
}
