package io.syncctl.e2e;

import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.PodLog;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster smaller than the burst, and a node that is lost (issue 11): a deployment with a local
 * cluster of its own that runs 4 pods at once and loses the node of every pod of image
 * {@link #LOST_SOURCE}. Waiting for a node is not failing to start, and a pod stuck Terminating
 * ends its task without blocking its sync.
 */
@Order(6)
class FullClusterTest {
    private static final int CHECKS = 40;
    private static final int INIT_TIMEOUT_SECONDS = 20;
    private static final String TERMINATING_MARGIN = "5s";
    private static final int GRACE_SECONDS = 15;
    /** The synthetic source under another name, so the local cluster loses the node of its pods. */
    private static final String LOST_SOURCE = "syncctl/source-on-lost-node";
    private static Stack stack;
    private static Results results;

    @BeforeAll
    static void aDeploymentOnAClusterOfFourPods() {
        String schema = Stack.freshSchema("full");
        stack = Stack.start(new Stack.Deployment("full-", schema, schema + "_internal", false, Map.of(
                "SYNCCTL_DATABASE_URL", Stack.databaseUrl(schema),
                "SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", Integer.toString(INIT_TIMEOUT_SECONDS),
                "SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS", Integer.toString(GRACE_SECONDS),
                "SYNCCTL_TERMINATING_MARGIN", TERMINATING_MARGIN),
                new Stack.OwnCluster(4, List.of(
                        "--image", LOST_SOURCE + "=" + Stack.repo().resolve("devkit/bin/source-synthetic"),
                        "--lost-node-image", LOST_SOURCE))));
        results = new Results(stack.db());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fortyChecksOnAClusterThatRunsFourPodsAtOnceAllSucceed() throws Exception {
        Api api = stack.api();
        List<Api.Answer> answers;
        try (ExecutorService clients = Executors.newFixedThreadPool(10)) {
            List<Future<Api.Answer>> sent = IntStream.range(0, CHECKS).mapToObj(i -> clients.submit(
                    () -> api.check(Stack.CHECK_ONLY_SOURCE, VERSION, "full-" + i, Synthetic.config("api_key", "k-" + i)).ok()))
                    .toList();
            answers = sent.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
        Db db = stack.db();
        Await.until(CHECKS + " check results", Duration.ofSeconds(600), () -> db.count(
                "SELECT count(*) FROM source_check WHERE key LIKE 'full-%' AND status <> 'RUNNING'") == CHECKS);
        assertEquals(List.of(), db.rows("SELECT key, status, description FROM source_check WHERE key LIKE 'full-%'"
                + " AND status <> 'SUCCESS'"), "checks that did not succeed");
        assertEquals(CHECKS, db.count("SELECT count(*) FROM syncctl_task WHERE storage_key LIKE 'full-%' AND outcome = 'SUCCESS'"));
        for (Api.Answer a : answers) {
            assertEquals(1, stack.pods().forTask(a.taskId()).size(), "pods of task " + a.taskId());
        }
        // Most of them waited for a node, longer than the init timeout for some, and their logs say so.
        assertTrue(db.count("SELECT count(*) FROM task_log WHERE message LIKE 'waiting for room in the cluster for %'") > 0,
                "no task's log says it waited for room");
    }

    @Test
    void aPodOnALostNodeEndsPodDisappearedWithinItsBoundAndTheSyncGoesOn() {
        Map<String, Object> slow = Synthetic.config("streams", 1, "records_per_stream", 1_000_000,
                "checkpoint_every", 50, "incremental", true, "sleep_ms_per_record", 5);
        Map<String, Object> destination = stack.postgresDestination(stack.schema() + "_lost");
        Instant sent = Instant.now();
        stack.api().read(LOST_SOURCE, VERSION, "lost-1", "lost-sync", Synthetic.readBody(slow, Synthetic.catalog(1, true), null,
                destination), "tableNamePrefix", "lost_").ok();
        PodLog.Created pod = Await.value("the pod of lost-1", Duration.ofSeconds(120),
                () -> stack.pods().forRead("lost-1").stream().findFirst());
        Await.until("pod " + pod.name() + " Terminating on its lost node", Duration.ofSeconds(120), () -> stack.pods()
                .current(pod.name()).map(p -> p.getMetadata().getDeletionTimestamp() != null).orElse(false));

        Map<String, Object> row = results.read("lost-1", Duration.ofSeconds(120));
        Duration took = Duration.between(sent, Instant.now());
        assertEquals("FAILED", row.get("status"));
        String description = String.valueOf(row.get("description"));
        assertTrue(description.startsWith("pod disappeared: its node was lost"), description);
        assertEquals("POD_DISAPPEARED", stack.db().row("SELECT outcome FROM syncctl_task WHERE task_id = 'lost-1'")
                .orElseThrow().get("outcome"));
        Await.until("pod " + pod.name() + " force-deleted", Duration.ofSeconds(60), () -> stack.pods().current(pod.name()).isEmpty());
        // Start, 3 s of running, the margin, resyncs: far within a minute and a half on this machine.
        assertTrue(took.compareTo(Duration.ofSeconds(90)) < 0, "took " + took);

        // The sync is not blocked: the next read is accepted and runs.
        stack.api().read(Stack.SOURCE, VERSION, "lost-2", "lost-sync", Synthetic.readBody(Synthetic.config("streams", 1,
                "records_per_stream", 10), Synthetic.catalog(1, true), null, destination), "tableNamePrefix", "lost_").ok();
        assertEquals("SUCCESS", results.read("lost-2", Duration.ofSeconds(120)).get("status"));
    }
}
