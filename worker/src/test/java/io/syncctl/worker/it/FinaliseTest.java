package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pods move through their lives (played by the simulated kubelet); the worker's watch ends each task once. */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class FinaliseTest extends WorkerTestBase {
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private Pod launch(TaskRecord task) throws Exception {
        worker().launcher().launch(task.id());
        return kubelet.awaitPod(task.id());
    }

    private TaskRecord awaitEnded(TaskRecord task) {
        return Eventually.await("task " + task.label() + " to end", () -> {
            TaskRecord t = queue.task(task.id());
            return t.phase().terminal() ? t : null;
        });
    }

    private void awaitGone(Pod pod) {
        Eventually.await("pod and Secret " + pod.getMetadata().getName() + " deleted", () -> kubelet.gone(pod));
    }

    @Test
    void everyTaskTypeSucceeds() throws Exception {
        List<TaskRecord> tasks = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (TaskType type : TaskType.values()) {
            TaskRecord task = queue.accept(type);
            Pod pod = launch(task);
            kubelet.run(pod);
            queue.sidecarSucceeds(task);
            kubelet.succeed(pod);
            tasks.add(task);
            pods.add(pod);
        }
        for (int i = 0; i < tasks.size(); i++) {
            TaskRecord ended = awaitEnded(tasks.get(i));
            assertEquals(TaskPhase.DONE, ended.phase());
            assertEquals(TaskOutcome.SUCCESS, ended.outcome());
            assertEquals("SUCCESS", queue.result(tasks.get(i)).get("status"));
            assertTrue(queue.payloadCleared(tasks.get(i)));
            awaitGone(pods.get(i));
        }
        assertEquals("{\"users\":{\"events\":3}}", queue.result(tasks.get(3)).get("description"));
    }

    @Test
    void connectorExitingNonZeroFailsWithExitCodeAndLastLines() throws Exception {
        for (TaskType type : List.of(TaskType.SPEC, TaskType.CHECK, TaskType.DISCOVER)) {
            TaskRecord task = queue.accept(type);
            Pod pod = launch(task);
            kubelet.run(pod);
            kubelet.end(pod, 1, "Error", 0, "", "INFO starting\nERROR password authentication failed for user \"app\"\n");
            TaskRecord ended = awaitEnded(task);
            assertEquals(TaskOutcome.FAILED, ended.outcome());
            Map<String, String> result = queue.result(task);
            assertEquals("FAILED", result.get("status"), type + " " + result);
            assertEquals("the connector exited with code 1; last lines:\nINFO starting\n"
                    + "ERROR password authentication failed for user \"app\"", result.get("description"));
            awaitGone(pod);
        }
    }

    @Test
    void connectorEndingWithoutAResultFails() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        Pod pod = launch(task);
        kubelet.run(pod);
        kubelet.succeed(pod);
        awaitEnded(task);
        assertEquals("the connector ended without a result", queue.result(task).get("description"));
    }

    private double finished(String type, String failure) {
        var counter = registry.find("syncctl.tasks.finished").tag("type", type).tag("failure", failure).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void readsFailingWithoutASidecarStatusGetATypedReason() throws Exception {
        Map<String, java.util.function.Consumer<Pod>> endings = new java.util.LinkedHashMap<>();
        endings.put("the connector container ran out of memory (OOMKilled)", p -> kubelet.end(p, 137, "OOMKilled", 0, "", ""));
        endings.put("the pod was evicted: The node was low on resource: memory.", kubelet::evict);
        endings.put("the pod exceeded its deadline (DeadlineExceeded)", kubelet::deadlineExceeded);
        endings.put("the sidecar crashed with exit code 2; last lines:\npanic: nil map", p -> kubelet.end(p, 0, "Completed", 2, "", "panic: nil map\n"));
        // Operators count them by kind: syncctl_tasks_finished_total{failure=...}.
        List<String> kinds = List.of("out_of_memory", "evicted", "deadline", "sidecar_crash");
        List<Double> before = kinds.stream().map(k -> finished("read", k)).toList();
        Map<String, TaskRecord> tasks = new java.util.LinkedHashMap<>();
        for (var e : endings.entrySet()) {
            TaskRecord task = queue.accept(TaskType.READ);
            Pod pod = launch(task);
            kubelet.run(pod);
            e.getValue().accept(pod);
            tasks.put(e.getKey(), task);
        }
        for (var e : tasks.entrySet()) {
            TaskRecord ended = awaitEnded(e.getValue());
            assertEquals(TaskOutcome.FAILED, ended.outcome());
            Map<String, String> row = queue.result(e.getValue());
            assertEquals("FAILED", row.get("status"));
            assertTrue(row.get("description").startsWith(e.getKey()), row.toString());
            assertEquals(row.get("description"), row.get("error"));
            assertEquals(List.of("ERROR syncctl task ended: " + row.get("description")), queue.logLines(e.getValue()).stream()
                    .filter(l -> l.contains("task ended")).toList());
        }
        for (int i = 0; i < kinds.size(); i++) {
            assertEquals(before.get(i) + 1, finished("read", kinds.get(i)), kinds.get(i));
        }
    }

    @Test
    void aStatusTheSidecarRecordedIsNeverOverwritten() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.run(pod);
        queue.sidecarSucceeds(task);
        kubelet.end(pod, 1, "Error", 0, "", "");
        TaskRecord ended = awaitEnded(task);
        assertEquals(TaskOutcome.SUCCESS, ended.outcome());
        assertEquals("SUCCESS", queue.result(task).get("status"));
        awaitGone(pod);
    }

    @Test
    void podsThatNeverStartTimeOutWithTheReasonInWords() throws Exception {
        // (A pod waiting for a node has a bound of its own: RoomTest.)
        TaskRecord pull = queue.accept(TaskType.CHECK);
        TaskRecord init = queue.accept(TaskType.DISCOVER);
        kubelet.imagePullBackOff(launch(pull));
        kubelet.initRunning(launch(init), "waiting for /secret/config.gz\n");

        String within = "the pod did not start within " + worker().settings().common().containerInitTimeoutSeconds() + " s: ";
        assertEquals(TaskOutcome.INIT_TIMEOUT, awaitEnded(pull).outcome());
        String pullReason = queue.result(pull).get("description");
        assertTrue(pullReason.startsWith(within + "image " + pull.image()
                + " cannot be pulled (ImagePullBackOff: Back-off pulling image"), pullReason);
        awaitEnded(init);
        assertEquals(within + "the init container has not finished; its last lines:\n"
                + "waiting for /secret/config.gz", queue.result(init).get("description"));
        for (TaskRecord t : List.of(pull, init)) {
            Eventually.await("pods of timed-out tasks deleted", () -> kubelet.pods(t.id()).isEmpty());
        }
    }

    @Test
    void aFailingInitContainerFailsTheTaskWithItsOutput() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        kubelet.initFails(launch(task), 1, "gunzip: /secret/config.gz: invalid magic\n");
        assertEquals(TaskOutcome.FAILED, awaitEnded(task).outcome());
        assertEquals("the init container failed with exit code 1; last lines:\ngunzip: /secret/config.gz: invalid magic",
                queue.result(task).get("description"));
    }

    @Test
    void readsRunningTooLongAreStopped() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.runSince(pod, Instant.now().minus(Duration.ofHours(49)));
        TaskRecord ended = awaitEnded(task);
        assertEquals(TaskOutcome.TIME_EXCEEDED, ended.outcome());
        Map<String, String> row = queue.result(task);
        assertEquals("TIME_EXCEEDED", row.get("status"));
        assertEquals("the task ran longer than 48 h and was stopped", row.get("description"));
        Eventually.await("pod deleted", () -> kubelet.pods(task.id()).isEmpty());
    }

    @Test
    void aPodThatDisappearsFailsTheTask() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.run(pod);
        kubelet.delete(pod);
        assertEquals(TaskOutcome.POD_DISAPPEARED, awaitEnded(task).outcome());
        Map<String, String> row = queue.result(task);
        assertEquals("FAILED", row.get("status"));
        assertTrue(row.get("description").startsWith("pod disappeared"), row.toString());
    }

    @Test
    void runningReadsAreKeptFresh() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.run(pod);
        queue.execute("UPDATE source_task SET updated_at = now() - interval '5 minutes' WHERE task_id = ?", task.taskId());
        Eventually.await("updated_at refreshed", () -> queue.row(
                "SELECT (updated_at > now() - interval '1 minute')::text AS fresh FROM source_task WHERE task_id = ?",
                task.taskId()).get("fresh").equals("true"));
        assertEquals("RUNNING", queue.result(task).get("status"));
        assertFalse(queue.task(task.id()).phase().terminal());
        queue.sidecarSucceeds(task);
        kubelet.succeed(pod);
        awaitEnded(task);
    }

    @Test
    void aPodDeletedBeforeItWasSeenEndingKeepsWhatTheSidecarRecorded() throws Exception {
        // The result was written, then the pod vanished (deleted by someone, node GC) before the
        // worker saw it end: the deletion is the first the worker hears of it.
        List<TaskRecord> tasks = List.of(queue.accept(TaskType.READ), queue.accept(TaskType.CHECK));
        for (TaskRecord task : tasks) {
            Pod pod = launch(task);
            kubelet.run(pod);
            queue.sidecarSucceeds(task);
            kubelet.delete(pod);
        }
        for (TaskRecord task : tasks) {
            TaskRecord ended = awaitEnded(task);
            assertEquals(TaskPhase.DONE, ended.phase(), task.label());
            assertEquals(TaskOutcome.SUCCESS, ended.outcome(), task.label());
            assertEquals("SUCCESS", queue.result(task).get("status"));
            assertTrue(queue.payloadCleared(task));
        }
    }

    @Test
    void aPodThatEndedAndWasDeletedAtOnceIsFinalisedFromItsLastState() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        Pod pod = launch(task);
        kubelet.run(pod);
        kubelet.end(pod, 3, "Error", 0, "", "FATAL cannot connect\n");
        kubelet.delete(pod);
        TaskRecord ended = awaitEnded(task);
        assertEquals(TaskOutcome.FAILED, ended.outcome());
        assertEquals("the connector exited with code 3; last lines:\nFATAL cannot connect", queue.result(task).get("description"));
    }

    @Test
    void aBurstOfPodsEndingAtOnceIsFinalisedAndCleanedUp() throws Exception {
        int n = 40;
        List<TaskRecord> tasks = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TaskRecord task = queue.accept(TaskType.READ);
            Pod pod = launch(task);
            kubelet.run(pod);
            queue.sidecarSucceeds(task);
            tasks.add(task);
            pods.add(pod);
        }
        pods.parallelStream().forEach(kubelet::succeed);
        for (int i = 0; i < n; i++) {
            TaskRecord ended = awaitEnded(tasks.get(i));
            assertEquals(TaskOutcome.SUCCESS, ended.outcome(), tasks.get(i).label());
            assertTrue(queue.payloadCleared(tasks.get(i)));
        }
        for (Pod pod : pods) {
            awaitGone(pod);
        }
    }

    @Test
    void aFailedDeletionIsRetried() throws Exception {
        // Not a task pod: neither the watch nor the resync would ever delete it, only the retry can.
        String name = "stray-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        kubelet.client().pods().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .build()).create();
        kubelet.client().secrets().inNamespace(NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(name + "-config").endMetadata().build()).create();
        server.expect().delete().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name)
                .andReturn(500, LaunchTest.status(500, "InternalError", "etcdserver: request timed out")).once();
        server.expect().delete().withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets/" + name + "-config")
                .andReturn(503, LaunchTest.status(503, "ServiceUnavailable", "apiserver overloaded")).once();

        worker().finaliser().removePod(name, false);

        Eventually.await("pod and Secret " + name + " deleted after retries", () ->
                kubelet.client().pods().inNamespace(NAMESPACE).withName(name).get() == null
                        && kubelet.client().secrets().inNamespace(NAMESPACE).withName(name + "-config").get() == null);
    }

    @Test
    void aRemovalThatFailsForGoodIsAskedAgainByTheResync() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.run(pod);
        queue.sidecarSucceeds(task);
        server.expect().delete().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod.getMetadata().getName())
                .andReturn(403, LaunchTest.status(403, "Forbidden", "pods \"x\" is forbidden: admission webhook said no")).once();
        kubelet.succeed(pod);
        assertEquals(TaskOutcome.SUCCESS, awaitEnded(task).outcome());
        // Not retried by the remover (403 is permanent); the ended pod's next resync asks again.
        awaitGone(pod);
    }
}
