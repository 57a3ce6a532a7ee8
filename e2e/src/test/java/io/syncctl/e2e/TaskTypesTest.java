package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each task type through the whole product: api → queue → worker → pod (init, synthetic source,
 * sidecar) → result tables and a Postgres destination. All tasks are submitted up front and run
 * side by side; each test waits for its own result.
 */
@Order(1)
class TaskTypesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String SECRET = "e2e-api-key-7f3a91";
    private static final Map<String, Object> CONFIG = Synthetic.config("streams", 2, "records_per_stream", 300,
            "checkpoint_every", 100, "incremental", true, "api_key", SECRET);

    private static Stack stack;
    private static Api api;
    private static Results results;
    private static String destination;
    private static Api.Answer goodCheck;
    private static Api.Answer badCheck;

    @BeforeAll
    static void submitEveryTaskType() {
        stack = Stack.get();
        api = stack.api();
        results = new Results(stack.db());
        destination = stack.destinationSchema("types");
        api.spec(SOURCE, VERSION).ok();
        goodCheck = api.check(SOURCE, VERSION, "types-check-good", CONFIG).ok();
        badCheck = api.check(SOURCE, VERSION, "types-check-bad", Synthetic.config("fail_check", "invalid api key")).ok();
        api.discover(SOURCE, VERSION, "types-discover", CONFIG).ok();
        api.read(SOURCE, VERSION, "types-read-1", "types-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), null,
                stack.postgresDestination(destination)), "tableNamePrefix", "tt_").ok();
    }

    @Test
    void specStoresTheConnectorsSpecification() {
        Map<String, Object> row = results.spec(SOURCE, VERSION, TIMEOUT);
        assertNull(row.get("error"));
        JsonNode spec = Db.json(row.get("specs"));
        assertTrue(spec.path("connectionSpecification").path("properties").has("records_per_stream"), spec.toString());
    }

    @Test
    void checkWithGoodCredentialsSucceedsInOnePod() {
        assertEquals("SUCCESS", results.check("types-check-good", TIMEOUT).get("status"));
        assertEquals(1, stack.pods().forTask(goodCheck.taskId()).size());
    }

    @Test
    void checkWithBadCredentialsFailsWithTheConnectorsMessage() {
        Map<String, Object> row = results.check("types-check-bad", TIMEOUT);
        assertEquals("FAILED", row.get("status"));
        assertEquals("invalid api key", row.get("description"));
        assertEquals(1, stack.pods().forTask(badCheck.taskId()).size());
    }

    @Test
    void discoverStoresTheCatalog() {
        Map<String, Object> row = results.discover("types-discover", TIMEOUT);
        assertEquals("SUCCESS", row.get("status"), String.valueOf(row.get("description")));
        List<String> names = new ArrayList<>();
        Db.json(row.get("catalog")).path("streams").forEach(s -> names.add(s.path("name").asText()));
        assertEquals(List.of("stream_1", "stream_2"), names);
    }

    @Test
    void readLoadsTheDestinationThenASecondIncrementalReadAppendsOnlyNewRows() {
        Map<String, Object> first = results.read("types-read-1", TIMEOUT);
        assertEquals("SUCCESS", first.get("status"), first.toString());
        JsonNode stats = Db.json(first.get("description"));
        for (String stream : List.of("stream_1", "stream_2")) {
            assertEquals(300, stats.path(stream).path("events").asLong(), stats.toString());
            assertEquals("SUCCESS", stats.path(stream).path("status").asText(), stats.toString());
            assertEquals(300, results.db().tableRows(destination, "tt_" + stream));
        }
        List<Map<String, Object>> state = results.db().rows(
                "SELECT stream, state FROM source_state WHERE sync_id = 'types-sync' ORDER BY stream");
        assertEquals(List.of("stream_1", "stream_2"), state.stream().map(r -> r.get("stream")).toList());

        // The client sends the stored state back as the console rebuilds it: each row (the stream's inner
        // stream_state) wrapped in a STREAM state message under its stream's descriptor.
        List<JsonNode> stored = state.stream().map(r -> streamState((String) r.get("stream"), Db.json(r.get("state")))).toList();
        api.read(SOURCE, VERSION, "types-read-2", "types-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), stored,
                stack.postgresDestination(destination)), "tableNamePrefix", "tt_").ok();
        Map<String, Object> second = results.read("types-read-2", TIMEOUT);
        assertEquals("SUCCESS", second.get("status"), second.toString());
        JsonNode secondStats = Db.json(second.get("description"));
        for (String stream : List.of("stream_1", "stream_2")) {
            assertEquals(300, secondStats.path(stream).path("events").asLong(), secondStats.toString());
            String table = "\"" + destination + "\".\"tt_" + stream + "\"";
            Map<String, Object> ids = results.db().row("SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM " + table).orElseThrow();
            assertEquals(Map.of("n", 600L, "d", 600L, "lo", 1L, "hi", 600L), Map.copyOf(ids), stream);
        }
    }

    /** {@code {"type":"STREAM","stream":{"stream_descriptor":{"name":..},"stream_state":..}}}, as sync.ts builds it. */
    private static JsonNode streamState(String stream, JsonNode inner) {
        ObjectNode message = JSON.createObjectNode().put("type", "STREAM");
        ObjectNode s = message.putObject("stream");
        s.putObject("stream_descriptor").put("name", stream);
        s.set("stream_state", inner);
        return message;
    }

    @Test
    void theConnectorSecretAppearsInNoLogOrResult() throws Exception {
        results.read("types-read-1", TIMEOUT);
        long lines = results.db().count("SELECT count(*) FROM task_log WHERE task_id = 'types-read-1'");
        assertTrue(lines > 0, "the read logged nothing");
        assertEquals(0, results.db().count("SELECT count(*) FROM task_log WHERE message LIKE ?", "%" + SECRET + "%"));
        assertEquals(0, results.db().count("SELECT count(*) FROM source_task WHERE description LIKE ? OR error LIKE ?",
                "%" + SECRET + "%", "%" + SECRET + "%"));
        try (var logs = Files.list(stack.logDir())) {
            for (var log : logs.toList()) {
                assertFalse(Files.readString(log).contains(SECRET), log + " contains the connector's secret");
            }
        }
    }
}
