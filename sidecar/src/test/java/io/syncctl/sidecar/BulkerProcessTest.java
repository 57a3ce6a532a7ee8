package io.syncctl.sidecar;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bulker destination against a small HTTP receiver that records every request. */
class BulkerProcessTest extends WithTestDatabase {
    record Received(String method, String path, String query, String authorization, String schema, String contentType,
                    List<String> lines) {
        boolean aborted() {
            return !lines.isEmpty() && lines.get(lines.size() - 1).startsWith("ABORT");
        }
    }

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failWith = new AtomicInteger();
    /** The sidecar's reachability check before the connector's output is read. */
    final AtomicInteger probes = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            if (ex.getRequestMethod().equals("HEAD")) {
                probes.incrementAndGet();
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(ex.getRequestBody(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            }
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("X-Jitsu-Schema"),
                    ex.getRequestHeaders().getFirst("Content-Type"), lines));
            int status = failWith.get() == 0 ? 200 : failWith.get();
            byte[] body = (status == 200 ? "{\"success\":true}" : "{\"error\":\"table is locked\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        server.stop(0);
    }

    private SidecarProcess read(String sync, String catalog, String destinationId) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        return new SidecarProcess("read", db).env("SYNC_ID", sync).env("TASK_ID", sync + "-t")
                .config("catalog.json", catalog)
                .config("destinationConfig.json", "{\"destinationType\":\"bulker\",\"url\":\"" + url + "\",\"authToken\":\"bulker-token-xyz\""
                        + (destinationId == null ? "" : ",\"destinationId\":\"" + destinationId + "\"") + "}");
    }

    @Test
    void aReplacingStreamIsOneRequestEndedAtCompletionThenEachCheckpointAppends() throws Exception {
        String catalog = Msg.catalog(Msg.stream("users", "{\"id\":{\"type\":\"integer\"},\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
                + "\"tags\":{\"type\":\"array\"},\"name\":{\"type\":\"string\"}}", true, "id"));
        try (SidecarProcess p = read("bulk-sync-1", catalog, "dest-1").start()) {
            p.out(Msg.record("users", "{\"id\":1,\"name\":\"a\"}"), Msg.record("users", "{\"id\":2, \"name\" : \"é\"}"),
                    Msg.streamState("users", "{\"c\":2}"), Msg.record("users", "{\"id\":3}"), Msg.streamStatus("users", "COMPLETE"),
                    Msg.record("users", "{\"id\":4}"), Msg.streamState("users", "{\"c\":4}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(2, received.size(), received.toString());
        assertEquals(1, probes.get(), "the destination is checked once, before the records");
        Received first = received.get(0);
        assertEquals("POST", first.method());
        assertEquals("/bulk/dest-1", first.path());
        assertEquals("tableName=users&mode=replace_table&taskId=bulk-sync-1-t&pk=id", first.query());
        assertEquals("Bearer bulker-token-xyz", first.authorization());
        assertEquals("application/x-ndjson", first.contentType());
        assertEquals(Map.of("name", "users", "fields", List.of(Map.of("name", "id", "type", "int64"), Map.of("name", "at", "type", "timestamp"),
                        Map.of("name", "tags", "type", "json"), Map.of("name", "name", "type", "string"))),
                new ObjectMapper().readValue(first.schema(), Map.class));
        // Bulker replaces the table when a replace_table request ends: one request for the whole stream
        assertEquals(List.of("{\"id\":1,\"name\":\"a\"}", "{\"id\":2, \"name\" : \"é\"}", "{\"id\":3}"), first.lines());
        Received second = received.get(1);
        assertEquals("tableName=users&mode=batch&taskId=bulk-sync-1-t&pk=id", second.query());
        assertEquals(List.of("{\"id\":4}"), second.lines());
        assertEquals("SUCCESS", db.row("SELECT status FROM source_task WHERE task_id = 'bulk-sync-1-t'").get("status"));
        assertEquals(1, db.rows("SELECT 1 FROM source_state WHERE sync_id = 'bulk-sync-1' AND stream = 'users'").size());
    }

    @Test
    void aFailedStreamAbortsItsOpenRequest() throws Exception {
        try (SidecarProcess p = read("bulk-sync-2", Msg.catalog(Msg.stream("events", "{}", false)), null).start()) {
            p.out(Msg.record("events", "{\"n\":1}"), Msg.record("events", "{\"n\":2}"), Msg.traceError("events", "source went away"));
            p.closePipes();
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        assertEquals(1, received.size(), received.toString());
        Received r = received.get(0);
        assertEquals("/bulk/bulk-sync-2", r.path(), "without destinationId the sync id names the destination");
        assertTrue(r.aborted(), r.lines().toString());
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), r.lines().subList(0, 2));
        Map<String, String> task = db.row("SELECT status, error FROM source_task WHERE task_id = 'bulk-sync-2-t'");
        assertEquals(Map.of("status", "FAILED", "error", "source went away"), task);
    }

    @Test
    void aRejectedChunkFailsTheStreamAndItsStateIsNotStored() throws Exception {
        failWith.set(500);
        try (SidecarProcess p = read("bulk-sync-3", Msg.catalog(Msg.stream("events", "{}", true)), null).start()) {
            p.out(Msg.record("events", "{\"n\":1}"), Msg.streamState("events", "{\"c\":1}"));
            p.closePipes();
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        Map<String, String> task = db.row("SELECT status, error FROM source_task WHERE task_id = 'bulk-sync-3-t'");
        assertEquals("FAILED", task.get("status"));
        assertEquals("committing to the destination failed: bulker answered HTTP 500: {\"error\":\"table is locked\"}", task.get("error"));
        assertEquals(0, db.rows("SELECT 1 FROM source_state WHERE sync_id = 'bulk-sync-3'").size());
        assertTrue(db.column("SELECT message FROM task_log WHERE task_id = 'bulk-sync-3-t'").stream().noneMatch(m -> m.contains("bulker-token-xyz")));
    }
}
