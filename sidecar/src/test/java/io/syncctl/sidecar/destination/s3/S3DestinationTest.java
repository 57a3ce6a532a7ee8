package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.RawJson;
import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.sidecar.S3Server;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The s3 destination's writers against a real S3-compatible server (S3Proxy), object by object. */
class S3DestinationTest {
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07.890Z");
    static S3Server server;
    static S3TestClient client;
    String bucket;

    @BeforeAll
    static void startServer() {
        server = S3Server.get();
        client = server.client();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = client.newBucket();
    }

    private S3Destination destination(String extra) throws Exception {
        S3Config config = S3Config.from(new ObjectMapper().readTree(server.destination(bucket, extra)));
        return new S3Destination(config, S3Destination.client(config), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static DestinationStream stream(String namespace, String table, boolean replace) {
        return new DestinationStream(namespace, table, List.of(), List.of(), replace);
    }

    private static void write(StreamWriter w, String... data) throws Exception {
        for (String d : data) {
            w.write(new AirbyteMessage.Record(new StreamDescriptor(null, "s"), RawJson.of(d), 0));
        }
    }

    @Test
    void aFullRefreshReplacesItsObjectOnlyWhenItCompletes() throws Exception {
        client.put(bucket, "raw/users.ndjson", "{\"id\":0}\n");
        try (S3Destination d = destination(",\"folder\":\"raw\",\"compression\":\"none\"")) {
            StreamWriter w = d.open(stream(null, "users", true));
            write(w, "{\"id\":1,\"name\":\"Zoë\"}", "{\"id\":2, \"name\" : \"日本\"}");
            w.checkpoint();
            assertEquals("{\"id\":0}\n", client.text(bucket, "raw/users.ndjson"), "a checkpoint does not show a replacement");
            write(w, "{\"id\":3}");
            w.complete();
        }
        assertEquals("{\"id\":1,\"name\":\"Zoë\"}\n{\"id\":2, \"name\" : \"日本\"}\n{\"id\":3}\n", client.text(bucket, "raw/users.ndjson"));
        assertEquals("application/x-ndjson", client.contentType(bucket, "raw/users.ndjson"));
        assertEquals(List.of("raw/users.ndjson"), client.keys(bucket));
    }

    @Test
    void anAbortedFullRefreshLeavesThePreviousObjectEvenAfterUploadingParts() throws Exception {
        client.put(bucket, "users.ndjson", "previous");
        String big = "{\"pad\":\"" + "x".repeat(1000) + "\"}";
        try (S3Destination d = destination(",\"compression\":\"none\"")) {
            StreamWriter w = d.open(stream(null, "users", true));
            for (int i = 0; i < 20_000; i++) { // ~20 MB: two parts uploaded
                write(w, big);
            }
            assertEquals(1, client.openUploads(bucket), "the parts went up as a multipart upload");
            w.abort();
        }
        assertEquals("previous", client.text(bucket, "users.ndjson"));
        assertEquals(List.of("users.ndjson"), client.keys(bucket));
        assertEquals(0, client.openUploads(bucket), "abort drops the upload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void aLargeObjectIsUploadedInPartsAndArrivesWhole(String compression) throws Exception {
        StringBuilder expected = new StringBuilder();
        try (S3Destination d = destination(",\"compression\":\"" + compression + "\"")) {
            StreamWriter w = d.open(stream("ns", "events", true));
            for (int i = 0; i < 60_000; i++) { // ~21 MB: parts, or (gzip) hundreds of blocks through the deflater
                String r = "{\"i\":" + i + ",\"text\":\"" + "é∑".repeat(100) + "\"}";
                write(w, r);
                expected.append(r).append('\n');
            }
            w.complete();
        }
        String key = compression.equals("gzip") ? "ns/events.ndjson.gz" : "ns/events.ndjson";
        assertEquals(expected.toString(), client.text(bucket, key));
        assertEquals(0, client.openUploads(bucket));
    }

    @Test
    void anUploadThatFailsOnItsThreadFailsTheWriterWithTheStoresError() throws Exception {
        bucket = "no-such-bucket-" + System.nanoTime(); // found out only when the first part goes up
        String big = "{\"pad\":\"" + "x".repeat(1000) + "\"}";
        try (S3Destination d = destination(",\"compression\":\"none\"")) {
            StreamWriter w = d.open(stream(null, "users", true));
            IOException e = assertThrows(IOException.class, () -> {
                for (int i = 0; i < 20_000; i++) { // ~20 MB
                    write(w, big);
                }
                w.complete();
            });
            assertTrue(e.getMessage().startsWith("uploading users.ndjson failed: HTTP 404 NoSuchBucket"), e.getMessage());
            w.abort();
        }
    }

    @Test
    void anAppendingStreamAddsOneObjectPerCheckpointNamedByStreamStart() throws Exception {
        client.put(bucket, "events_2026_01_01T00_00_00_1.ndjson.gz", "earlier run");
        try (S3Destination d = destination(",\"compression\":\"gzip\",\"folder\":\"f/[DATE]/\"")) {
            StreamWriter w = d.open(stream("app", "events", false));
            write(w, "{\"n\":1}", "{\"n\":2}");
            w.checkpoint();
            assertEquals("{\"n\":1}\n{\"n\":2}\n", client.text(bucket, "f/2026-03-04/app/events_2026_03_04T05_06_07_1.ndjson.gz"),
                    "visible when the checkpoint returns");
            w.checkpoint(); // nothing written since: no object
            write(w, "{\"n\":3}");
            w.complete();
        }
        assertEquals(List.of("events_2026_01_01T00_00_00_1.ndjson.gz", "f/2026-03-04/app/events_2026_03_04T05_06_07_1.ndjson.gz",
                "f/2026-03-04/app/events_2026_03_04T05_06_07_2.ndjson.gz"), client.keys(bucket));
        assertEquals("{\"n\":3}\n", client.text(bucket, "f/2026-03-04/app/events_2026_03_04T05_06_07_2.ndjson.gz"));
        assertEquals("application/gzip", client.contentType(bucket, "f/2026-03-04/app/events_2026_03_04T05_06_07_2.ndjson.gz"));
    }

    @Test
    void anAbortedAppendKeepsItsCommittedChunksAndDropsTheOpenOne() throws Exception {
        try (S3Destination d = destination("")) {
            StreamWriter w = d.open(stream(null, "events", false));
            write(w, "{\"n\":1}");
            w.checkpoint();
            write(w, "{\"n\":2}");
            w.abort();
        }
        assertEquals(List.of("events_2026_03_04T05_06_07_1.ndjson"), client.keys(bucket), "compression defaults to none, as Bulker's");
    }

    @Test
    void aCompletedFullRefreshSupersedesTheAppendedObjectsBesideIt() throws Exception {
        client.put(bucket, "users_2026_01_01T00_00_00_1.csv", "a");
        client.put(bucket, "users_2026_01_02T00_00_00.csv", "b");
        client.put(bucket, "users_2026_01_02T00_00_00.ndjson", "other format");
        client.put(bucket, "users_archive.csv", "not a chunk");
        client.put(bucket, "users2_2026_01_01T00_00_00_1.csv", "other table");
        try (S3Destination d = destination(",\"format\":\"csv\"")) {
            StreamWriter w = d.open(stream(null, "users", true));
            write(w, "{\"id\":1}");
            w.checkpoint();
            assertEquals(5, client.keys(bucket).size(), "nothing is deleted before the replacement is in place");
            w.complete();
        }
        assertEquals(List.of("users.csv", "users2_2026_01_01T00_00_00_1.csv", "users_2026_01_02T00_00_00.ndjson", "users_archive.csv"),
                client.keys(bucket));
    }

    @Test
    void csvHasASortedHeaderOfEveryFlattenedFieldAndBulkersValueText() throws Exception {
        try (S3Destination d = destination(",\"format\":\"csv\",\"compression\":\"gzip\"")) {
            StreamWriter w = d.open(stream(null, "t", true));
            write(w, "{\"id\":1,\"name\":\"a,b\",\"ok\":true,\"addr\":{\"city\":\"Zürich\",\"geo\":{\"lat\":1.50}},\"tags\":[\"x\",{\"y\":1}]}",
                    "{\"id\":2,\"name\":\"say \\\"hi\\\"\\nbye\",\"ok\":false,\"note\":null,\"extra\":\" lead\"}");
            w.complete();
        }
        assertEquals("addr_city,addr_geo_lat,extra,id,name,note,ok,tags\n"
                + "Zürich,1.50,,1,\"a,b\",,1,\"[\"\"x\"\",{\"\"y\"\":1}]\"\n"
                + ",,\" lead\",2,\"say \"\"hi\"\"\nbye\",,0,\n", client.text(bucket, "t.csv.gz"));
        assertEquals("application/gzip", client.contentType(bucket, "t.csv.gz"));
    }

    @Test
    void ndjsonFlatFlattensNestedObjects() throws Exception {
        try (S3Destination d = destination(",\"format\":\"ndjson_flat\"")) {
            StreamWriter w = d.open(stream(null, "t", true));
            write(w, "{\"id\":1, \"a\":{\"b\":{\"c\":\"ü\"},\"d\":[1, 2]},\"e\":null,\"\":5}");
            w.complete();
        }
        assertEquals("{\"id\":1,\"a_b_c\":\"ü\",\"a_d\":[1,2],\"e\":null,\"_unnamed\":5}\n", client.text(bucket, "t.ndjson"));
    }

    @Test
    void anEmptyFullRefreshLeavesAnEmptyObject() throws Exception {
        client.put(bucket, "t.ndjson.gz", "previous");
        try (S3Destination d = destination(",\"compression\":\"gzip\"")) {
            d.open(stream(null, "t", true)).complete();
        }
        assertEquals("", client.text(bucket, "t.ndjson.gz"), "a valid, empty gzip stream");
    }

    @Test
    void theCheckAcceptsAWritableBucketAndLeavesNothingBehind() throws Exception {
        try (S3Destination d = destination(",\"folder\":\"x\"")) {
            d.check();
        }
        assertEquals(List.of(), client.keys(bucket));
    }

    @Test
    void theCheckNamesAMissingBucket() throws Exception {
        bucket = "no-such-bucket-" + System.nanoTime();
        try (S3Destination d = destination("")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, d::check);
            assertEquals("s3 bucket " + bucket + " does not exist at " + server.endpoint, e.getMessage());
        }
    }

    @Test
    void theCheckNamesBadCredentialsWithoutShowingThem() throws Exception {
        String json = server.destination(bucket, "").replace(S3Server.SECRET_KEY, "wrong-secret-value");
        S3Config config = S3Config.from(new ObjectMapper().readTree(json));
        try (S3Destination d = new S3Destination(config, S3Destination.client(config), Clock.systemUTC())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, d::check);
            assertTrue(e.getMessage().startsWith("s3 "), e.getMessage());
            assertTrue(e.getMessage().contains("check accessKeyId and secretAccessKey"), e.getMessage());
            assertTrue(!e.getMessage().contains("wrong-secret-value"), e.getMessage());
        }
    }

    @Test
    void theCheckNamesAnUnreachableEndpoint() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String json = server.destination(bucket, "").replace(server.endpoint.toString(), "http://127.0.0.1:" + port);
        S3Config config = S3Config.from(new ObjectMapper().readTree(json));
        try (S3Destination d = new S3Destination(config, S3Destination.client(config), Clock.systemUTC())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, d::check);
            assertTrue(e.getMessage().startsWith("cannot reach s3 endpoint http://127.0.0.1:" + port + ": ConnectException"), e.getMessage());
        }
    }
}
