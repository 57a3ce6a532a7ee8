package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Console;
import io.syncctl.e2e.support.Console.Scheduled;
import io.syncctl.e2e.support.Console.Service;
import io.syncctl.e2e.support.Console.StreamSettings;
import io.syncctl.e2e.support.Console.Sync;
import io.syncctl.e2e.support.Console.TaskStats;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import io.syncctl.shared.testing.ConsoleSchema;
import io.syncctl.shared.testing.SchemaPush;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.syncctl.e2e.support.Stack.DATABASE;
import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product as a Jitsu deployment runs it, driven by a client that acts exactly as the Jitsu console
 * ({@link Console}): the console's Prisma tables exist in schema {@code newjitsu} before we start, we get
 * the settings of Jitsu's docker-compose file ({@code search_path=newjitsu}, {@code SYNCCTL_RAW_AUTH_TOKENS}),
 * and the console calls us with its long keys, its read parameters and state, upserts its placeholders
 * after our 200, polls with its own SQL, sums {@code description} as its task table does, and pushes its
 * schema ({@code prisma db push --accept-data-loss}) between two reads. CONTRACT.md sections 1, 2 and 6.
 *
 * <p>The scenarios build on each other, in order: spec, check, discover, read, schema push, second read,
 * cancel, auth.
 */
@Order(5)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String SCHEMA = "newjitsu";
    private static final String TOKEN = "console-token-" + UUID.randomUUID();
    private static final String SECRET = "console-api-key-5d2e8b";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE + "?user=postgres&ApplicationName=jitsu-console";
    private static final Console.User USER = new Console.User(Console.cuid(), "admin@jitsu.com", "Admin");

    private static Stack stack;
    private static Console console;
    private static Db db;
    private static String destination;
    private static Service source;
    private static Service slowSource;
    private static Sync sync;
    private static Sync slowSync;
    private static String firstTaskId;

    @BeforeAll
    static void deployAsJitsuDoes() throws SQLException {
        String run = Stack.runSchema();
        // The console's `prisma db push` ran before we start: its tables, nothing else.
        try (Connection c = DriverManager.getConnection(JDBC); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            ConsoleSchema.create(c, SCHEMA);
        }
        // docker/docker-compose.yml, service syncctl (the console reaches it as SYNCCTL_URL with SYNCCTL_AUTH_KEY).
        String url = "postgresql://postgres@127.0.0.1:5432/" + DATABASE + "?search_path=" + SCHEMA;
        Map<String, String> compose = new LinkedHashMap<>();
        compose.put("TERM", "xterm-256color");
        compose.put("SYNCCTL_SYNCS_ENABLED", "true");
        compose.put("SYNCCTL_RAW_AUTH_TOKENS", TOKEN);
        compose.put("SYNCCTL_DATABASE_URL", url);
        compose.put("SYNCCTL_SIDECAR_DATABASE_URL", url);
        compose.put("SYNCCTL_KUBERNETES_CONTEXT", ""); // "${SYNCCTL_KUBERNETES_CONTEXT}", empty in Jitsu's .env
        stack = Stack.start(new Stack.Deployment("console-", SCHEMA, run + "_console_internal", false, compose));
        console = new Console(stack.apiUrl(), TOKEN, JDBC);
        db = stack.db();
        destination = stack.destinationSchema("console");

        source = console.newService(SOURCE, VERSION, Synthetic.config("streams", 3, "records_per_stream", 200,
                "checkpoint_every", 50, "incremental", true, "api_key", SECRET));
        slowSource = console.newService(SOURCE, VERSION, Synthetic.config("streams", 1, "records_per_stream", 1_000_000,
                "checkpoint_every", 20, "incremental", true, "sleep_ms_per_record", 5));
        Map<String, StreamSettings> streams = new LinkedHashMap<>();
        streams.put("stream_1", new StreamSettings("incremental", List.of("updated_at"), null));
        streams.put("stream_2", new StreamSettings("incremental", List.of("updated_at"), "console_orders"));
        streams.put("stream_3", new StreamSettings("full_refresh", null, null));
        Map<String, Object> warehouse = console.postgresDestination("127.0.0.1", 5432, DATABASE, "postgres", "", destination);
        sync = new Sync(Console.cuid(), source, warehouse, streams, null, false, null);
        slowSync = new Sync(Console.cuid(), slowSource, warehouse,
                Map.of("stream_1", new StreamSettings("incremental", List.of("updated_at"), "console_slow")), null, false, null);
    }

    @AfterAll
    static void stopTheDeployment() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void specReplacesTheConsolesPendingPlaceholder() {
        Console.Reply reply = console.awaitSpec(SOURCE, VERSION, TIMEOUT);
        assertJsonOk(reply.syncctl());
        assertTrue(reply.ok(), "the console shows: " + reply.error());
        assertTrue(reply.value().path("connectionSpecification").path("properties").has("records_per_stream"), reply.value().toString());
        assertNull(db.row("SELECT error FROM source_spec WHERE package = ? AND version = ?", SOURCE, VERSION).orElseThrow().get("error"));
    }

    @Test
    @Order(2)
    void connectionTestsWithTheConsolesLongKeys() {
        Console.ConnectionTest good = console.testConnection(source, TIMEOUT);
        assertTrue(good.storageKey().length() >= 105, good.storageKey());
        assertJsonOk(good.accepted());
        assertTrue(good.result().ok(), "the console shows: " + good.result().error());

        Service badSource = console.newService(SOURCE, VERSION, Synthetic.config("fail_check", "invalid api key"));
        Console.ConnectionTest bad = console.testConnection(badSource, TIMEOUT);
        assertJsonOk(bad.accepted());
        assertFalse(bad.result().ok());
        assertEquals("invalid api key", bad.result().error());
    }

    @Test
    @Order(3)
    void catalogRefreshOverTheConsolesRunningPlaceholder() {
        Console.Reply catalog = console.refreshCatalog(source, TIMEOUT);
        assertJsonOk(catalog.syncctl());
        assertTrue(catalog.ok(), "the console shows: " + catalog.error());
        List<String> names = new ArrayList<>();
        catalog.value().path("streams").forEach(s -> names.add(s.path("name").asText()));
        assertEquals(List.of("stream_1", "stream_2", "stream_3"), names);
        Console.Reply slow = console.refreshCatalog(slowSource, TIMEOUT);
        assertTrue(slow.ok(), "the console shows: " + slow.error());
    }

    @Test
    @Order(4)
    void firstIncrementalReadLoadsEveryStreamAndStoresStateAsTheConsoleRebuildsIt() {
        Scheduled run = console.scheduleSync(sync, false, USER);
        assertTrue(run.ok(), "the console shows: " + run.error());
        assertJsonOk(run.syncctl());
        assertFalse(run.requestBody().has("state"), "no state rows yet: " + run.requestBody());
        firstTaskId = run.taskId();
        // The console's task table shows the task from the moment we said 200.
        Map<String, Object> shown = latestTask(sync).orElseThrow(() -> new AssertionError("no task in the console's task table"));
        assertEquals(firstTaskId, shown.get("task_id"), shown.toString());
        assertEquals("RUNNING", shown.get("status"), shown.toString());

        Map<String, Object> task = awaitEnd(sync, firstTaskId);
        assertEquals("SUCCESS", task.get("status"), task.toString());
        TaskStats stats = Console.processTaskStatus((String) task.get("description"));
        assertEquals(3, stats.totalStreams(), stats.toString());
        assertEquals(3, stats.successStreams(), stats.toString());
        assertEquals(600.0, stats.processedRows(), stats.toString());
        assertTrue(stats.processedBytes() > 0, stats.toString());

        assertEquals(200, db.tableRows(destination, "stream_1"));
        assertEquals(200, db.tableRows(destination, "console_orders"), "stream_2 goes to its table_name");
        assertEquals(200, db.tableRows(destination, "stream_3"));

        // One row per incremental stream, holding the stream_state itself (no STATE message around it).
        List<Map<String, Object>> state = db.rows("SELECT stream, state FROM source_state WHERE sync_id = ? ORDER BY stream", sync.id());
        assertEquals(List.of("stream_1", "stream_2"), state.stream().map(r -> r.get("stream")).toList(), state.toString());
        for (Map<String, Object> row : state) {
            JsonNode s = Db.json(row.get("state"));
            assertFalse(s.has("type") || s.has("stream") || s.has("data"), "a STATE message, not its stream_state: " + s);
            assertTrue(s.path("updated_at").asText().startsWith("2024-01-01T00:03:20"), s.toString());
        }

        Map<String, Object> row = db.row("SELECT started_by::text AS started_by FROM source_task WHERE task_id = ?", firstTaskId).orElseThrow();
        assertEquals("manual", Db.json(row.get("started_by")).path("trigger").asText(), "the task table reads started_by.trigger: " + row);

        List<Map<String, Object>> logs = console.taskLogs(firstTaskId);
        assertFalse(logs.isEmpty(), "the console's log view is empty");
        assertTrue(logs.stream().anyMatch(l -> "jitsu".equals(l.get("logger"))), "no line of the sidecar's own (logger jitsu)");
        assertTrue(logs.stream().noneMatch(l -> String.valueOf(l.get("message")).contains(SECRET)), "the connector's secret is in task_log");
    }

    @Test
    @Order(5)
    void theConsolesSchemaPushFindsNothingOfOursAndLosesNothingQueued() throws SQLException {
        // A check is queued when the console restarts and pushes its schema.
        String key = console.checkKey(source);
        assertTrue(console.startCheck(key, source).pending());
        List<String> changes;
        try (Connection c = DriverManager.getConnection(JDBC)) {
            changes = SchemaPush.push(c, SCHEMA);
        }
        System.out.println("prisma db push --accept-data-loss changed: " + changes);
        Console.Reply check = Await.value("the check queued before the schema push", TIMEOUT, () -> {
            Console.Reply r = console.checkStatus(key);
            return r.pending() ? Optional.empty() : Optional.of(r);
        });
        assertTrue(check.ok(), "the console shows: " + check.error());
        assertEquals(List.of(), changes, "what the console's schema push had to drop or change in " + SCHEMA);
    }

    @Test
    @Order(6)
    void secondIncrementalReadAfterThePushReadsOnlyNewRecordsFromTheRebuiltState() {
        assertNotNull(firstTaskId, "needs the first read");
        Scheduled run = console.scheduleSync(sync, false, USER);
        assertTrue(run.ok(), "the console shows: " + run.error());
        // The console rebuilt STREAM states from our rows, stream_3 (full refresh) has none.
        JsonNode state = run.requestBody().path("state");
        assertEquals(2, state.size(), state.toString());
        for (JsonNode s : state) {
            assertEquals("STREAM", s.path("type").asText(), state.toString());
            assertTrue(s.path("stream").path("stream_state").path("updated_at").asText().startsWith("2024-01-01T00:03:20"), state.toString());
        }

        Map<String, Object> task = awaitEnd(sync, run.taskId());
        assertEquals("SUCCESS", task.get("status"), task.toString());
        TaskStats stats = Console.processTaskStatus((String) task.get("description"));
        assertEquals(3, stats.successStreams(), stats.toString());
        assertEquals(600.0, stats.processedRows(), "200 new records per stream: " + stats);

        for (String table : List.of("stream_1", "console_orders")) {
            Map<String, Object> ids = db.row("SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM \""
                    + destination + "\".\"" + table + "\"").orElseThrow();
            assertEquals(Map.of("n", 400L, "d", 400L, "lo", 1L, "hi", 400L), Map.copyOf(ids), table + " keeps the first read's rows and adds the new ones");
        }
        assertEquals(200, db.tableRows(destination, "stream_3"), "a full-refresh stream replaces its table");
        assertEquals(2, db.count("SELECT count(*) FROM source_state WHERE sync_id = ? AND state->>'updated_at' LIKE '2024-01-01T00:06:40%'", sync.id()));
    }

    @Test
    @Order(7)
    void cancelOfARunningReadShowsCancelledAtOnce() {
        Scheduled run = console.scheduleSync(slowSync, false, USER);
        assertTrue(run.ok(), "the console shows: " + run.error());
        String taskId = run.taskId();
        // While records flow the task table shows progress.
        TaskStats progress = Await.value("progress of the running read in the console's task table", TIMEOUT, () -> {
            Map<String, Object> t = latestTask(slowSync).orElseThrow();
            TaskStats s = Console.processTaskStatus((String) t.get("description"));
            return "RUNNING".equals(t.get("status")) && s.processedRows() > 0 ? Optional.of(s) : Optional.empty();
        });
        assertEquals("RUNNING", progress.stats().path("stream_1").path("status").asText(), progress.toString());

        // The console refuses a second run itself, from our RUNNING row; a client that asks anyway gets 409.
        Scheduled again = console.scheduleSync(slowSync, false, USER);
        assertFalse(again.ok());
        assertEquals("Sync is already running", again.error());
        assertEquals(taskId, again.runningTaskId());
        Console.Rpc conflict = console.rpc("POST", "/read", Console.params("package", SOURCE, "version", VERSION,
                "taskId", UUID.randomUUID().toString(), "syncId", slowSync.id(), "namespace", "${LEGACY}"), run.requestBody());
        assertEquals(409, conflict.status(), conflict.body());
        assertTrue(conflict.body().contains(taskId), conflict.body());

        Console.Reply cancel = console.cancel(slowSync.id(), taskId, SOURCE);
        assertJsonOk(cancel.syncctl());
        assertTrue(cancel.pending(), "the console shows: " + cancel.error());
        assertEquals("CANCELLED", latestTask(slowSync).orElseThrow().get("status"), "CANCELLED right after the 200 of /cancel");

        // The pod stops after; the row stays CANCELLED and its streams end CANCELLED.
        TaskStats end = Await.value("the cancelled read's streams to end", TIMEOUT, () -> {
            Map<String, Object> t = latestTask(slowSync).orElseThrow();
            assertEquals("CANCELLED", t.get("status"), "a terminal status was overwritten");
            TaskStats s = Console.processTaskStatus((String) t.get("description"));
            return "CANCELLED".equals(s.stats() == null ? null : s.stats().path("stream_1").path("status").asText()) ? Optional.of(s) : Optional.empty();
        });
        assertTrue(end.processedRows() > 0, end.toString());

        Console.Rpc unknown = console.rpc("GET", "/cancel", Console.params("workspaceId", console.workspaceId(),
                "syncId", Console.cuid(), "taskId", UUID.randomUUID().toString(), "package", SOURCE), null);
        assertEquals(200, unknown.status(), unknown.body());
        assertTrue(unknown.json().path("ok").asBoolean(), unknown.body());
    }

    @Test
    @Order(8)
    void aWrongOrMissingTokenGets401() {
        Map<String, String> q = Console.params("package", SOURCE, "version", VERSION);
        for (String key : List.of("wrong-" + TOKEN, "")) {
            Console.Rpc r = console.rpc("GET", "/spec", q, null, key);
            assertEquals(401, r.status(), "token '" + key + "': " + r.body());
            assertFalse(Db.json(r.body()).path("ok").asBoolean(true), r.body());
            assertTrue(Db.json(r.body()).path("error").isTextual(), r.body());
        }
        Console.Rpc cancel = console.rpc("GET", "/cancel", Console.params("taskId", "t", "syncId", "s"), null, "wrong-" + TOKEN);
        assertEquals(401, cancel.status(), cancel.body());
        assertEquals(200, console.rpc("GET", "/health", Map.of(), null, "").status(), "health needs no token");
    }

    @Test
    @Order(9)
    void theTokenAndTheConnectorSecretAppearInNoLog() throws IOException {
        try (var logs = Files.list(stack.logDir())) {
            for (var log : logs.filter(p -> p.getFileName().toString().startsWith("console-")).toList()) {
                String text = Files.readString(log);
                assertFalse(text.contains(SECRET), log + " contains the connector's secret");
                assertFalse(text.contains(TOKEN), log + " contains the api token");
            }
        }
    }

    private static Optional<Map<String, Object>> latestTask(Sync s) {
        return console.latestTasks(s.id()).stream().findFirst();
    }

    /** The console's task table until the sync's latest task is {@code taskId} and no longer RUNNING. */
    private static Map<String, Object> awaitEnd(Sync s, String taskId) {
        return Await.value("the end of task " + taskId + " in the console's task table", TIMEOUT, () -> latestTask(s)
                .filter(t -> taskId.equals(t.get("task_id")) && !"RUNNING".equals(t.get("status"))));
    }

    /** The console's rpc reads {@code ok} only from an application/json 2xx answer. */
    private static void assertJsonOk(Console.Rpc r) {
        assertNotNull(r, "syncctl was not called");
        assertEquals(200, r.status(), r.method() + " " + r.url() + ": " + r.body());
        assertTrue(r.contentType().startsWith("application/json"), "Content-Type " + r.contentType());
        assertTrue(r.json().path("ok").asBoolean(), r.body());
    }
}
