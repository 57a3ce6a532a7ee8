package io.syncctl.e2e;

import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pod whose containers do not meet each other ends its task, with a reason, within the init timeout
 * (25 s here) plus the time to notice, and the sync takes its next read at once. And the connector of a
 * task pod sees nothing of the destination's credentials nor of the database URL.
 */
@Order(2)
class PodFaultsTest {
    /** The init timeout (25 s) bounds both waits; the rest is the worker noticing and the machine's load. */
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String DESTINATION_SECRET = "dest-secret-e2e-4f1c";
    private static Stack stack;
    private static Api api;
    private static Results results;
    private static String destination;
    private static Path report;

    @BeforeAll
    static void submit() throws Exception {
        stack = Stack.get();
        api = stack.api();
        results = new Results(stack.db());
        destination = stack.destinationSchema("faults");
        api.read(Stack.SIDECAR_EXITS_SOURCE, VERSION, "fault-sidecar", "fault-sidecar-sync", smallRead()).ok();
        api.read(Stack.NEVER_STARTS_SOURCE, VERSION, "fault-never", "fault-never-sync", smallRead()).ok();
        report = Files.createTempDirectory("snoop").resolve("report.txt");
        Map<String, Object> dest = stack.postgresDestination(destination);
        dest.put("password", DESTINATION_SECRET);
        api.read(Stack.SNOOPING_SOURCE, VERSION, "snoop-read", "snoop-sync", Synthetic.readBody(
                Synthetic.config("report", report.toString(), "marker", "connector-config-marker"),
                Synthetic.catalog(1, false), Map.of("marker", "connector-state-marker"), dest)).ok();
    }

    private static Map<String, Object> smallRead() {
        return Synthetic.readBody(Synthetic.config("streams", 1, "records_per_stream", 10), Synthetic.catalog(1, false), null,
                stack.postgresDestination(destination));
    }

    @Test
    void aSidecarThatExitsAtOnceDoesNotLeaveTheConnectorBlocked() {
        Map<String, Object> row = results.read("fault-sidecar", BOUND);
        assertEquals("FAILED", row.get("status"));
        String text = row.toString();
        assertTrue(text.contains("the sidecar did not open the connector's pipes within 25 s"), text);
        assertEquals("FAILED", outcome("fault-sidecar"));
        theSyncTakesItsNextRead("fault-sidecar-sync");
    }

    @Test
    void aSourceContainerThatNeverStartsEndsTheTaskAfterTheInitTimeout() {
        Map<String, Object> row = results.read("fault-never", BOUND);
        assertEquals("FAILED", row.get("status"));
        String text = row.toString();
        assertTrue(text.contains("the connector did not start within 55s"), text);
        assertEquals("FAILED", outcome("fault-never"));
        theSyncTakesItsNextRead("fault-never-sync");
    }

    @Test
    void theConnectorSeesOnlyItsOwnFiles() throws Exception {
        Await.until("the snooping connector's report", BOUND, () -> Files.exists(report));
        String seen = Files.readString(report);
        // it did read what it was given (the test can fail)...
        assertTrue(seen.contains("connector-config-marker"), seen);
        assertTrue(seen.contains("connector-state-marker"), seen);
        // ...exactly the three connector files...
        List<String> files = seen.lines().filter(l -> l.startsWith("== file ")).map(l -> Path.of(l.substring(8)).getFileName().toString())
                .sorted().collect(Collectors.toList());
        assertEquals(List.of("catalog.json", "config.json", "state.json"), files, seen);
        // ...and nothing of the destination or the database
        for (String secret : List.of(DESTINATION_SECRET, "destinationType", "postgresql://", "jdbc:", Stack.DATABASE, "databaseUrl")) {
            assertFalse(seen.contains(secret), "the connector saw " + secret + ":\n" + seen);
        }
        results.read("snoop-read", BOUND);
    }

    private static void theSyncTakesItsNextRead(String syncId) {
        String next = syncId + "-next";
        api.read(SOURCE, VERSION, next, syncId, smallRead()).ok();
        assertEquals("SUCCESS", results.read(next, BOUND).get("status"));
    }

    private static String outcome(String taskId) {
        return Await.value("the outcome of " + taskId, BOUND, () -> results.db()
                .row("SELECT outcome FROM syncctl_task WHERE task_id = ? AND outcome IS NOT NULL", taskId))
                .get("outcome").toString();
    }
}
