package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.S3Bucket;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read of the synthetic source into the s3 destination through the whole product (api → worker → pod in
 * the local cluster simulation → sidecar → a local S3-compatible server this class starts): a first read
 * replaces each stream's object, a second incremental read adds objects with only the new records.
 */
class S3ReadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, Object> CONFIG = Synthetic.config("streams", 2, "records_per_stream", 300,
            "checkpoint_every", 100, "incremental", true);
    private static Stack stack;
    private static Api api;
    private static Results results;
    private static S3Bucket bucket;

    @BeforeAll
    static void start() {
        stack = Stack.get();
        api = stack.api();
        results = new Results(stack.db());
        bucket = new S3Bucket(Path.of(System.getProperty("syncctl.e2e.dir", "target/e2e"), "s3"));
    }

    @AfterAll
    static void stop() {
        if (bucket != null) {
            bucket.close();
        }
    }

    @Test
    void aFirstReadWritesEachStreamsObjectAndAnIncrementalReadAddsObjectsWithTheNewRecords() throws Exception {
        api.read(SOURCE, VERSION, "s3-read-1", "s3-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), null,
                bucket.destination("raw/syncctl", "gzip")), "tableNamePrefix", "s3_").ok();
        Map<String, Object> first = results.read("s3-read-1", TIMEOUT);
        assertEquals("SUCCESS", first.get("status"), first.toString());
        assertEquals(List.of("raw/syncctl/s3_stream_1.ndjson.gz", "raw/syncctl/s3_stream_2.ndjson.gz"), bucket.keys("raw/"));
        for (String stream : List.of("stream_1", "stream_2")) {
            assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(), ids(bucket.lines("raw/syncctl/s3_" + stream + ".ndjson.gz")));
        }
        List<Map<String, Object>> state = results.db().rows("SELECT stream, state FROM source_state WHERE sync_id = 's3-sync' ORDER BY stream");
        assertEquals(List.of("stream_1", "stream_2"), state.stream().map(r -> r.get("stream")).toList());

        List<JsonNode> stored = state.stream().map(r -> streamState((String) r.get("stream"), Db.json(r.get("state")))).toList();
        api.read(SOURCE, VERSION, "s3-read-2", "s3-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), stored,
                bucket.destination("raw/syncctl", "gzip")), "tableNamePrefix", "s3_").ok();
        Map<String, Object> second = results.read("s3-read-2", TIMEOUT);
        assertEquals("SUCCESS", second.get("status"), second.toString());
        for (String stream : List.of("stream_1", "stream_2")) {
            List<String> chunks = bucket.keys("raw/syncctl/s3_" + stream + "_");
            // checkpoint_every 100: one object per checkpoint, numbered from 1
            assertEquals(3, chunks.size(), chunks.toString());
            for (int n = 1; n <= 3; n++) {
                assertTrue(chunks.get(n - 1).matches("raw/syncctl/s3_" + stream + "_\\d{4}_\\d{2}_\\d{2}T\\d{2}_\\d{2}_\\d{2}_" + n + "\\.ndjson\\.gz"),
                        chunks.toString());
            }
            List<Long> ids = new ArrayList<>();
            chunks.forEach(k -> ids.addAll(ids(bucket.lines(k))));
            assertEquals(LongStream.rangeClosed(301, 600).boxed().toList(), ids.stream().sorted().toList());
            assertEquals(300, bucket.lines("raw/syncctl/s3_" + stream + ".ndjson.gz").size(), "the first read's object stays");
        }
    }

    private static List<Long> ids(List<String> lines) {
        return lines.stream().map(l -> {
            try {
                return JSON.readTree(l).path("id").asLong();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
    }

    private static JsonNode streamState(String stream, JsonNode inner) {
        ObjectNode message = JSON.createObjectNode().put("type", "STREAM");
        ObjectNode s = message.putObject("stream");
        s.putObject("stream_descriptor").put("name", stream);
        s.set("stream_state", inner);
        return message;
    }
}
