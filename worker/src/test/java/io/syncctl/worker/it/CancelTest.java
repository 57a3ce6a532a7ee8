package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class CancelTest extends WorkerTestBase {

    private TaskRecord awaitPhase(TaskRecord task, TaskPhase phase) {
        return Eventually.await("task " + task.label() + " " + phase, () -> {
            TaskRecord t = queue.task(task.id());
            return t.phase() == phase ? t : null;
        });
    }

    @Test
    void aQueuedTaskIsCancelledWithoutEverGettingAPod() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        queue.requestCancel(task);
        worker().canceller().cancel(task.id());
        worker().launcher().launch(task.id()); // the launch job, if it still runs, creates nothing

        assertEquals(TaskPhase.CANCELLED, queue.task(task.id()).phase());
        assertEquals("CANCELLED", queue.result(task).get("status"));
        assertTrue(kubelet.pods(task.id()).isEmpty());
        assertTrue(queue.payloadCleared(task));
    }

    @Test
    void theSidecarsCancelledStandsWhenItRecordedIt() throws Exception {
        TaskRecord task = runningTask(TaskType.READ);
        Pod pod = kubelet.awaitPod(task.id());
        queue.requestCancel(task);
        queue.sidecarCancels(task); // SIGTERM reached the sidecar, which recorded CANCELLED before the pod went
        worker().canceller().cancel(task.id());

        awaitPhase(task, TaskPhase.CANCELLED);
        Map<String, String> row = queue.result(task);
        assertEquals("CANCELLED", row.get("status"));
        assertEquals("cancelled", row.get("description"));
        Eventually.await("pod deleted", () -> kubelet.gone(pod));
    }

    @Test
    void theWorkerRecordsCancelledWhenTheSidecarCouldNot() throws Exception {
        TaskRecord task = cancelledByTheWorker(TaskType.READ);
        Map<String, String> row = queue.result(task);
        assertEquals("CANCELLED", row.get("status"));
        assertEquals("cancelled on request", row.get("description"));
        assertTrue(queue.logLines(task).contains("WARN syncctl task ended: cancelled on request"), queue.logLines(task).toString());
    }

    @Test
    void aCancelledDiscoverEndsFailedWithTheReason() throws Exception {
        TaskRecord task = cancelledByTheWorker(TaskType.DISCOVER);
        assertEquals(Map.of("status", "FAILED", "description", "cancelled on request"), queue.result(task));
    }

    /** A task launched and running, its pod started by the kubelet. */
    private TaskRecord runningTask(TaskType type) throws Exception {
        TaskRecord task = queue.accept(type);
        worker().launcher().launch(task.id());
        kubelet.run(kubelet.awaitPod(task.id()));
        return task;
    }

    /** A running task cancelled by request, its sidecar never recording it: the worker ends it. */
    private TaskRecord cancelledByTheWorker(TaskType type) throws Exception {
        TaskRecord task = runningTask(type);
        queue.requestCancel(task);
        worker().canceller().cancel(task.id());
        awaitPhase(task, TaskPhase.CANCELLED);
        return task;
    }
}
