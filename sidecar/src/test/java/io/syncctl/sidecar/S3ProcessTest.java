package io.syncctl.sidecar;

import io.syncctl.sidecar.destination.s3.S3TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** read into the s3 destination through a real sidecar process and a real S3-compatible server (S3Proxy). */
class S3ProcessTest extends WithTestDatabase {
    static S3Server server;
    static S3TestClient s3;
    String bucket;

    @BeforeAll
    static void startServer() {
        server = S3Server.get();
        s3 = server.client();
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = s3.newBucket();
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private SidecarProcess read(String sync, String catalog, String state, String extra) throws Exception {
        SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", sync).env("TASK_ID", sync + "-t")
                .config("catalog.json", catalog).config("destinationConfig.json", server.destination(bucket, extra));
        if (state != null) {
            p.config("state.json", state);
        }
        return p;
    }

    private Map<String, String> task(String sync) throws Exception {
        return db.row("SELECT status, error FROM source_task WHERE task_id = '" + sync + "-t'");
    }

    private List<String> states(String sync) throws Exception {
        return db.column("SELECT stream || ':' || (state->>'c') FROM source_state WHERE sync_id = '" + sync + "' ORDER BY stream");
    }

    @Test
    void aFullRefreshReplacesTheObjectAtCompletionAndStoresItsStateAfter() throws Exception {
        String sync = "s3-full-" + id();
        s3.put(bucket, "raw/users.ndjson.gz", "previous run");
        try (SidecarProcess p = read(sync, Msg.catalog(Msg.stream("users", "{\"id\":{\"type\":\"integer\"}}", true, "id")), null,
                ",\"folder\":\"raw\",\"compression\":\"gzip\"").start()) {
            p.out(Msg.streamStatus("users", "STARTED"), Msg.record("users", "{\"id\":1,\"name\":\"Åsa 😀\"}"),
                    Msg.streamState("users", "{\"c\":1}"), Msg.record("users", "{\"id\":2}"), Msg.streamStatus("users", "COMPLETE"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(Map.of("status", "SUCCESS"), Map.of("status", task(sync).get("status")));
        assertEquals(List.of("raw/users.ndjson.gz"), s3.keys(bucket));
        assertEquals("{\"id\":1,\"name\":\"Åsa 😀\"}\n{\"id\":2}\n", s3.text(bucket, "raw/users.ndjson.gz"));
        assertEquals(List.of("users:1"), states(sync), "a replacing stream's state is stored after its swap");
    }

    @Test
    void anIncrementalStreamAddsAnObjectPerCheckpointAndItsStateOnlyFollowsItsData() throws Exception {
        String sync = "s3-inc-" + id();
        String catalog = Msg.catalog(Msg.stream("events", "{}", true));
        try (SidecarProcess p = read(sync, catalog, "[" + Msg.stateObject("events", "{\"c\":0}") + "]", "").start()) {
            p.out(Msg.record("events", "{\"n\":1}"), Msg.record("events", "{\"n\":2}"), Msg.streamState("events", "{\"c\":2}"));
            awaitState(sync, "events:2");
            // the state is stored: the object holding the records it covers is there
            List<String> keys = s3.keys(bucket);
            assertEquals(1, keys.size(), keys.toString());
            assertTrue(keys.get(0).matches("events_\\d{4}_\\d{2}_\\d{2}T\\d{2}_\\d{2}_\\d{2}_1\\.ndjson"), keys.get(0));
            assertEquals("{\"n\":1}\n{\"n\":2}\n", s3.text(bucket, keys.get(0)));

            // the bucket goes away: the next chunk cannot be written, so its state must not be stored
            s3.s3.deleteObject(r -> r.bucket(bucket).key(keys.get(0)));
            s3.s3.deleteBucket(r -> r.bucket(bucket));
            p.out(Msg.record("events", "{\"n\":3}"), Msg.streamState("events", "{\"c\":3}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        Map<String, String> t = task(sync);
        assertEquals("PARTIAL", t.get("status"), t.toString());
        assertTrue(t.get("error").contains("NoSuchBucket"), t.get("error"));
        assertEquals(List.of("events:2"), states(sync));
    }

    @Test
    void aConnectorThatDiesMidStreamLeavesThePreviousObjectAndNoUpload() throws Exception {
        String sync = "s3-crash-" + id();
        s3.put(bucket, "users.csv", "id\n0\n");
        String pad = "x".repeat(2000);
        try (SidecarProcess p = read(sync, Msg.catalog(Msg.stream("users", "{}", false)), null, ",\"format\":\"csv\"").start()) {
            p.out(Msg.streamStatus("users", "STARTED"));
            for (int i = 0; i < 6000; i++) { // ~12 MB: beyond the first part
                p.out(Msg.record("users", "{\"id\":" + i + ",\"pad\":\"" + pad + "\"}"));
            }
            p.closePipes(); // no COMPLETE: the stream failed
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        assertEquals("FAILED", task(sync).get("status"));
        assertEquals(List.of("users.csv"), s3.keys(bucket));
        assertEquals("id\n0\n", s3.text(bucket, "users.csv"));
        assertEquals(0, s3.openUploads(bucket));
    }

    @Test
    void aSidecarKilledMidUploadLeavesThePreviousObject() throws Exception {
        String sync = "s3-kill-" + id();
        String uploadId;
        s3.put(bucket, "users.ndjson", "{\"id\":0}\n");
        String pad = "y".repeat(2000);
        try (SidecarProcess p = read(sync, Msg.catalog(Msg.stream("users", "{}", false)), null, "").start()) {
            p.out(Msg.streamStatus("users", "STARTED"));
            for (int i = 0; i < 6000; i++) {
                p.out(Msg.record("users", "{\"id\":" + i + ",\"pad\":\"" + pad + "\"}"));
            }
            uploadId = awaitOpenUpload();
        } // close() kills the sidecar (SIGKILL) in the middle of its multipart upload
        // S3Proxy's local backends emulate an open multipart upload with objects named by its id; S3 shows none
        assertEquals(List.of("users.ndjson"), s3.keys(bucket).stream().filter(k -> !k.contains(uploadId)).toList());
        assertEquals("{\"id\":0}\n", s3.text(bucket, "users.ndjson"));
    }

    @Test
    void aMissingBucketFailsTheTaskBeforeTheConnectorsOutput() throws Exception {
        String sync = "s3-nobucket-" + id();
        bucket = "missing-" + id();
        try (SidecarProcess p = read(sync, Msg.catalog(Msg.stream("users", "{}", false)), null, "").startProcess()) {
            assertEquals(1, p.exitCode(), p.processOutput()); // the connector never writes: nothing waited for it
            assertFalse(p.processOutput().contains(S3Server.SECRET_KEY));
        }
        assertEquals(Map.of("status", "FAILED", "error", "s3 bucket " + bucket + " does not exist at " + server.endpoint), task(sync));
    }

    private void awaitState(String sync, String expected) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!states(sync).contains(expected)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("state " + expected + " not stored: " + states(sync));
            }
            Thread.sleep(50);
        }
    }

    private String awaitOpenUpload() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (s3.openUploads(bucket) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no multipart upload started");
            }
            Thread.sleep(50);
        }
        return s3.s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().get(0).uploadId();
    }
}
