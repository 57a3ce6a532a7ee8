package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.launch.TaskLabels;
import io.syncctl.worker.stale.StaleReads;
import io.syncctl.worker.support.DatabaseProxyResource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class StaleReadsTest extends WorkerTestBase {

    private String runningRead(String age) throws Exception {
        String taskId = "stale-" + UUID.randomUUID();
        queue.execute("INSERT INTO source_task (sync_id, task_id, package, version, started_at, updated_at, status, description)"
                + " VALUES ('s1', ?, 'p', '1', now() - interval '3 hours', now() - ?::interval, 'RUNNING', 'running')", taskId, age);
        return taskId;
    }

    private String status(String taskId) throws Exception {
        return queue.row("SELECT status FROM source_task WHERE task_id = ?", taskId).get("status");
    }

    @Test
    void closesReadsWithoutPodOrUpdateForAnHourOnce() throws Exception {
        String lost = runningRead("2 hours");
        String fresh = runningRead("10 minutes");
        String withPod = runningRead("2 hours");
        kubelet.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName("syncctl-read-" + JobIds.readTask(withPod)).withLabels(Map.of(
                        TaskLabels.TASK, JobIds.readTask(withPod).toString(), "app.kubernetes.io/name", "other"))
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec().build()).create();
        TaskRecord queued = queue.accept(TaskType.READ);
        queue.execute("UPDATE source_task SET updated_at = now() - interval '2 hours' WHERE task_id = ?", queued.taskId());

        // Two replicas run the check at once: one closes each read.
        StaleReads a = worker().staleReads();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> call(a));
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> call(a));
        first.join();
        second.join();

        Map<String, String> row = queue.row("SELECT status, description, error FROM source_task WHERE task_id = ?", lost);
        assertEquals("FAILED", row.get("status"));
        assertEquals(StaleReads.REASON, row.get("description"));
        assertEquals("1", queue.row("SELECT count(*)::text AS n FROM task_log WHERE task_id = ?", lost).get("n"));
        assertEquals("RUNNING", status(fresh));
        assertEquals("RUNNING", status(withPod));
        assertEquals("RUNNING", status(queued.taskId()), "a read waiting in the queue is not stale");
    }

    @Test
    void idleIsMeasuredOnTheWorkersClock() throws Exception {
        String recent = runningRead("10 minutes");
        // Two hours from now, a read last updated ten minutes ago has been idle for over an hour.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        StaleReads check = new StaleReads(worker().db(), new TaskStore(new PayloadCipher(worker().settings().common().payloadKey())),
                worker().client(), NAMESPACE, later);
        assertEquals("RUNNING", status(recent));
        check.closeStale();
        assertEquals("FAILED", status(recent));
    }

    private static int call(StaleReads s) {
        try {
            return s.closeStale();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
