package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.PodLog;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How tasks fail, as a client sees it: each failure a status and a reason, with data already committed kept. */
@Order(2)
class FailuresTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static Stack stack;
    private static Api api;
    private static Results results;
    private static String destination;

    @BeforeAll
    static void submitFailingTasks() {
        stack = Stack.get();
        api = stack.api();
        results = new Results(stack.db());
        destination = stack.destinationSchema("failures");
        api.read("syncctl/no-such-source", "1.0", "fail-image", "fail-image-sync", Synthetic.readBody(Synthetic.config(),
                Synthetic.catalog(1, false), null, stack.postgresDestination(destination))).ok();
        // stream_1: 150 records, checkpoints at 100 and 150; stream_2: checkpoint at 100, crash at its record 110.
        api.read(SOURCE, VERSION, "fail-crash", "fail-crash-sync", Synthetic.readBody(Synthetic.config("streams", 2,
                "records_per_stream", 150, "checkpoint_every", 100, "incremental", true, "crash_after", 260),
                Synthetic.catalog(2, true), null, stack.postgresDestination(destination)), "tableNamePrefix", "crash_").ok();
        api.read(SOURCE, VERSION, "fail-cancel", "fail-cancel-sync", Synthetic.readBody(Synthetic.config("streams", 1,
                "records_per_stream", 1_000_000, "checkpoint_every", 20, "incremental", true, "sleep_ms_per_record", 5),
                Synthetic.catalog(1, true), null, stack.postgresDestination(destination)), "tableNamePrefix", "cancel_").ok();
        api.read(SOURCE, VERSION, "fail-evict", "fail-evict-sync", Synthetic.readBody(Synthetic.config("streams", 1,
                "records_per_stream", 1_000_000, "checkpoint_every", 20, "incremental", true, "sleep_ms_per_record", 5),
                Synthetic.catalog(1, true), null, stack.postgresDestination(destination)), "tableNamePrefix", "evict_").ok();
    }

    @Test
    void anUnknownImageEndsInInitTimeoutWithThePullReason() {
        Map<String, Object> row = results.read("fail-image", TIMEOUT);
        assertEquals("FAILED", row.get("status"));
        String description = String.valueOf(row.get("description"));
        assertTrue(description.contains("did not start within 25 s"), description);
        assertTrue(description.contains("ErrImagePull") || description.contains("ImagePullBackOff"), description);
        assertEquals("INIT_TIMEOUT", results.db().row("SELECT outcome FROM syncctl_task WHERE task_id = 'fail-image'")
                .orElseThrow().get("outcome"));
        List<PodLog.Created> pods = stack.pods().forRead("fail-image");
        assertEquals(1, pods.size(), stack.pods().all().toString());
        String pod = pods.get(0).name();
        Await.until("pod " + pod + " removed", TIMEOUT, () -> stack.pods().current(pod).isEmpty());
    }

    @Test
    void aCrashMidReadKeepsCompletedStreamsAndLeavesNoHalfTable() {
        Map<String, Object> row = results.read("fail-crash", TIMEOUT);
        assertTrue(Set.of("PARTIAL", "FAILED").contains(row.get("status")), row.toString());
        JsonNode stats = Db.json(row.get("description"));
        assertEquals(150, stats.path("stream_1").path("events").asLong(), stats.toString());
        assertEquals("SUCCESS", stats.path("stream_1").path("status").asText(), stats.toString());
        assertTrue(stats.path("stream_2").path("events").asLong() >= 100, stats.toString());
        assertTrue(Set.of("PARTIAL", "FAILED").contains(stats.path("stream_2").path("status").asText()), stats.toString());

        assertEquals(150, results.db().tableRows(destination, "crash_stream_1"));
        // stream_2 replaces its table (no incoming state): the replacement is swapped in only when the stream
        // completes, so the crash leaves no half table, and no state whose data never reached a table
        assertEquals(0, results.db().count("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_name LIKE 'crash_stream_2%'", destination), "a half-loaded replacement of stream_2 is visible");
        List<Map<String, Object>> state = results.db().rows(
                "SELECT stream, state FROM source_state WHERE sync_id = 'fail-crash-sync' ORDER BY stream");
        assertEquals(List.of("stream_1"), state.stream().map(r -> r.get("stream")).toList());
    }

    @Test
    void cancelMidReadEndsCancelledAndRemovesPodAndSecret() {
        results.streamProgress("fail-cancel", "stream_1", 20, TIMEOUT);
        assertEquals("RUNNING", results.taskStatus("fail-cancel"));
        api.cancel("fail-cancel", "fail-cancel-sync").ok();
        assertEquals("CANCELLED", results.taskStatus("fail-cancel"), "CANCELLED as soon as /cancel answered");
        // the pod stops after; the sidecar then writes its figures, the cut stream CANCELLED
        Await.until("the cancelled stream's figures", TIMEOUT, () -> {
            String description = String.valueOf(results.read("fail-cancel", TIMEOUT).get("description"));
            return description.startsWith("{") && "CANCELLED".equals(Db.json(description).path("stream_1").path("status").asText());
        });
        assertEquals(0, results.db().tableRows(destination, "cancel_stream_1"), "a replacement cut by the cancel was swapped in");
        List<PodLog.Created> pods = stack.pods().forRead("fail-cancel");
        assertEquals(1, pods.size(), stack.pods().all().toString());
        String pod = pods.get(0).name();
        Await.until("pod " + pod + " and its Secret removed", TIMEOUT,
                () -> stack.pods().current(pod).isEmpty() && !stack.pods().secretExists(pod + "-config"));
        assertEquals("CANCELLED", Await.value("the task's outcome", TIMEOUT, () -> results.db()
                .row("SELECT outcome FROM syncctl_task WHERE task_id = 'fail-cancel' AND outcome IS NOT NULL")).get("outcome"));
    }

    @Test
    void anEvictionMidReadFailsItAsStoppedByKubernetesNotCancelled() {
        results.streamProgress("fail-evict", "stream_1", 20, TIMEOUT);
        List<PodLog.Created> pods = stack.pods().forRead("fail-evict");
        assertEquals(1, pods.size(), stack.pods().all().toString());
        String pod = pods.get(0).name();

        stack.pods().evict(pod); // SIGTERM that no /cancel asked for: a drain, an eviction, a preemption

        Map<String, Object> row = results.read("fail-evict", TIMEOUT);
        assertEquals("FAILED", row.get("status"), row.toString());
        assertEquals("stopped by Kubernetes (eviction, drain or preemption)", row.get("error"), row.toString());
        JsonNode stats = Db.json(row.get("description"));
        assertTrue(Set.of("FAILED", "PARTIAL").contains(stats.path("stream_1").path("status").asText()), stats.toString());
        assertEquals("FAILED", Await.value("the task's outcome", TIMEOUT, () -> results.db()
                .row("SELECT outcome FROM syncctl_task WHERE task_id = 'fail-evict' AND outcome IS NOT NULL")).get("outcome"));
        Await.until("pod " + pod + " and its Secret removed", TIMEOUT,
                () -> stack.pods().current(pod).isEmpty() && !stack.pods().secretExists(pod + "-config"));
    }
}
