package io.syncctl.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic source (devkit) as the connector: source -> FIFOs -> sidecar -> result tables and Postgres. */
class SyntheticSourceProcessTest extends WithTestDatabase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = "{\"id\":{\"type\":\"integer\"},\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
            + "\"name\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"},\"active\":{\"type\":\"boolean\"},\"payload\":{\"type\":\"string\"}}";

    private record Run(int exit, Map<String, String> task, JsonNode stats) {
    }

    private Run read(String sync, String task, String config, String catalog, String state) throws Exception {
        try (SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", sync).env("TASK_ID", task).env("TABLE_NAME_PREFIX", "syn_")
                .env("PACKAGE", "syncctl/source-synthetic")
                .config("config.json", config).config("catalog.json", catalog)
                .config("state.json", state == null ? "{}" : state)
                .config("destinationConfig.json", db.postgresDestination())) {
            p.startWithSyntheticSource("read", "--config", "config.json", "--catalog", "catalog.json", "--state", "state.json");
            int exit = p.exitCode();
            Map<String, String> t = db.row("SELECT status, description, error FROM source_task WHERE task_id = '" + task + "'");
            return new Run(exit, t, t.get("description").startsWith("{") ? JSON.readTree(t.get("description")) : null);
        }
    }

    private List<String> ids(String table) throws Exception {
        return db.column("SELECT min(id) || '..' || max(id) || ' ' || count(*) || ' ' || count(DISTINCT id) FROM "
                + db.destSchema + "." + table);
    }

    private String storedCursor(String sync, String stream) throws Exception {
        return db.row("SELECT state->>'updated_at' AS c FROM source_state WHERE sync_id = '" + sync
                + "' AND stream = '" + stream + "'").get("c");
    }

    /** The state the console builds from the stored rows of a sync (sync.ts, per-stream rows). */
    private String consoleState(String sync) throws Exception {
        return "[" + String.join(",", db.column("SELECT '{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"' || stream"
                + " || '\"},\"stream_state\":' || state::text || '}}' FROM source_state WHERE sync_id = '" + sync + "' ORDER BY stream")) + "]";
    }

    /** The table's ids, or "absent" (tests of this class share the destination schema, in any order). */
    private String snapshot(String table) throws Exception {
        return db.column("SELECT to_regclass('" + db.destSchema + "." + table + "')::text").get(0) == null ? "absent"
                : ids(table).toString();
    }

    private static String sync() {
        return "syn-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void fullRefreshOfTwoStreamsWithGarbageLines() throws Exception {
        String sync = sync();
        Run r = read(sync, sync + "-t", "{\"streams\":2,\"records_per_stream\":500,\"garbage_lines\":true}",
                Msg.catalog(Msg.stream("stream_1", SCHEMA, false), Msg.stream("stream_2", SCHEMA, false)), null);
        assertEquals(0, r.exit());
        assertEquals("SUCCESS", r.task().get("status"), r.task().toString());
        assertEquals(500, r.stats().path("stream_1").path("events").asInt());
        assertEquals(List.of("1..500 500 500"), ids("syn_stream_1"));
        assertEquals(List.of("1..500 500 500"), ids("syn_stream_2"));
        assertEquals(Map.of("id", "bigint", "updated_at", "timestamp with time zone", "name", "text", "amount", "double precision",
                "active", "boolean", "payload", "text"), db.columnTypes("syn_stream_1"));
    }

    @Test
    void secondIncrementalRunAppendsTheNewRowsAfterTheStoredState() throws Exception {
        String sync = sync();
        String config = "{\"streams\":1,\"records_per_stream\":300,\"checkpoint_every\":100,\"incremental\":true}";
        String catalog = Msg.catalog(Msg.stream("stream_1", SCHEMA, true, "id"));
        Run first = read(sync, sync + "-t1", config, catalog, null);
        assertEquals("SUCCESS", first.task().get("status"), first.task().toString());
        assertEquals(List.of("1..300 300 300"), ids("syn_stream_1"));
        assertEquals("2024-01-01T00:05:00Z", storedCursor(sync, "stream_1"));

        Run second = read(sync, sync + "-t2", config, catalog, consoleState(sync));
        assertEquals("SUCCESS", second.task().get("status"), second.task().toString());
        assertEquals(300, second.stats().path("stream_1").path("events").asInt());
        assertEquals(List.of("1..600 600 600"), ids("syn_stream_1"));
        assertEquals("2024-01-01T00:10:00Z", storedCursor(sync, "stream_1"));
    }

    @Test
    void aCrashLeavesAReplacedTableAsItWasAndKeepsTheAppendedCheckpointsAndState() throws Exception {
        String sync = sync();
        String catalog = Msg.catalog(Msg.stream("stream_1", SCHEMA, true, "id"));
        String crashing = "{\"streams\":1,\"records_per_stream\":1000,\"checkpoint_every\":100,\"incremental\":true,\"crash_after\":250}";
        // first run, no state: the table is replaced at the stream's end, which never comes
        String before = snapshot("syn_stream_1");
        Run replacing = read(sync, sync + "-t1", crashing, catalog, null);
        assertEquals("FAILED", replacing.task().get("status"), replacing.task().toString());
        assertEquals("the connector exited before completing the stream", replacing.task().get("error"));
        assertEquals(250, replacing.stats().path("stream_1").path("events").asInt());
        assertEquals(before, snapshot("syn_stream_1"));
        assertTrue(db.rows("SELECT 1 FROM source_state WHERE sync_id = '" + sync + "'").isEmpty(), "no state without its data");

        Run full = read(sync, sync + "-t2", "{\"streams\":1,\"records_per_stream\":300,\"checkpoint_every\":100,\"incremental\":true}",
                catalog, null);
        assertEquals("SUCCESS", full.task().get("status"), full.task().toString());
        // with state the stream appends: each checkpoint commits, and a crash keeps them
        Run appending = read(sync, sync + "-t3", crashing, catalog, consoleState(sync));
        assertEquals("PARTIAL", appending.task().get("status"), appending.task().toString());
        assertEquals(List.of("1..500 500 500"), ids("syn_stream_1"));
        assertEquals("2024-01-01T00:08:20Z", storedCursor(sync, "stream_1"));
    }

    @Test
    void anErrorInOneStreamGivesPartialWhileTheOthersComplete() throws Exception {
        String sync = sync();
        String before = snapshot("syn_stream_2");
        Run r = read(sync, sync + "-t", "{\"streams\":3,\"records_per_stream\":300,\"checkpoint_every\":100,\"incremental\":true,"
                        + "\"error_stream\":\"stream_2\",\"api_key\":\"synthetic-secret-key-1\",\"log_secret\":true}",
                Msg.catalog(Msg.stream("stream_1", SCHEMA, true, "id"), Msg.stream("stream_2", SCHEMA, true, "id"),
                        Msg.stream("stream_3", SCHEMA, true, "id")), null);
        assertEquals(0, r.exit());
        assertEquals("PARTIAL", r.task().get("status"), r.task().toString());
        assertEquals("SUCCESS", r.stats().path("stream_1").path("status").asText());
        // replacing (no state): the failed stream's table is not touched and its state not stored
        assertEquals("FAILED", r.stats().path("stream_2").path("status").asText());
        assertFalse(r.stats().path("stream_2").path("error").asText().isEmpty());
        assertEquals(r.stats().path("stream_2").path("error").asText(), r.task().get("error"));
        assertEquals("SUCCESS", r.stats().path("stream_3").path("status").asText());
        assertEquals(List.of("1..300 300 300"), ids("syn_stream_1"));
        assertEquals(before, snapshot("syn_stream_2"));
        assertEquals(List.of("1..300 300 300"), ids("syn_stream_3"));
        assertTrue(db.rows("SELECT 1 FROM source_state WHERE sync_id = '" + sync + "' AND stream = 'stream_2'").isEmpty());
        assertEquals("2024-01-01T00:05:00Z", storedCursor(sync, "stream_3"));
        List<String> logs = db.column("SELECT message FROM task_log WHERE sync_id = '" + sync + "'");
        assertTrue(logs.stream().anyMatch(m -> m.contains("****")), logs.toString());
        assertTrue(logs.stream().noneMatch(m -> m.contains("synthetic-secret-key-1")));
    }
}
