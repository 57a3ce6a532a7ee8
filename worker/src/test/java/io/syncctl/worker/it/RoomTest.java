package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.Worker;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.kube.KubernetesConnection;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import io.syncctl.worker.support.SimulatedKubelet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Waiting for room, and pods that never go: a pod waiting for a node is bounded by SYNCCTL_SCHEDULE_TIMEOUT,
 * not the init timeout, and its task's log says so; SYNCCTL_MAX_RUNNING_PODS keeps tasks in the queue,
 * oldest first; a pod stuck Terminating on a lost node is force-deleted and its task ends POD_DISAPPEARED.
 */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class RoomTest extends WorkerTestBase {
    static final String LIMITED = "limited";
    static final String FULL = "0/1 nodes are available: 1 Too many pods. "
            + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    private Worker limited;

    @AfterEach
    void stopLimitedWorker() {
        if (limited != null) {
            limited.close();
            limited = null;
        }
    }

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

    private List<String> waitingLines(TaskRecord read) throws Exception {
        return queue.logLines(read).stream().filter(l -> l.startsWith("INFO syncctl waiting for room")).toList();
    }

    @Test
    void aPodWaitingForANodeIsBoundByTheScheduleTimeoutNotTheInitTimeout() throws Exception {
        TaskRecord waits = queue.accept(TaskType.READ);
        TaskRecord never = queue.accept(TaskType.READ);
        Pod waiting = launch(waits);
        Pod neverScheduled = launch(never);
        kubelet.unschedulable(waiting, FULL);
        kubelet.unschedulable(neverScheduled, FULL);

        List<String> lines = Eventually.await("the task's log says it waits", () -> {
            List<String> l = waitingLines(waits);
            return l.isEmpty() ? null : l;
        });
        assertTrue(lines.getFirst().startsWith("INFO syncctl waiting for room in the cluster for "), lines.toString());
        assertTrue(lines.getFirst().endsWith(" (at most 15 s): the pod cannot be scheduled (Unschedulable: " + FULL + ")"), lines.toString());

        // Past the init timeout, still waiting for a node: not a failure to start.
        int init = worker().settings().common().containerInitTimeoutSeconds();
        Instant created = Instant.parse(waiting.getMetadata().getCreationTimestamp());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), created.plusSeconds(init + 2)).toMillis()));
        assertEquals(TaskPhase.LAUNCHED, queue.task(waits.id()).phase());
        assertEquals(1, waitingLines(waits).size(), "one line a minute, not one per resync");

        kubelet.run(waiting);
        queue.sidecarSucceeds(waits);
        kubelet.succeed(waiting);
        assertEquals(TaskOutcome.SUCCESS, awaitEnded(waits).outcome());

        TaskRecord timedOut = awaitEnded(never);
        assertEquals(TaskOutcome.SCHEDULE_TIMEOUT, timedOut.outcome());
        Map<String, String> row = queue.result(never);
        assertEquals("FAILED", row.get("status"));
        assertEquals("the pod found no room in the cluster within 15 s: the pod cannot be scheduled (Unschedulable: "
                + FULL + ")", row.get("description"));
        Eventually.await("the pod that never got a node deleted", () -> kubelet.pods(never.id()).isEmpty());
    }

    @Test
    void aPodStuckTerminatingOnALostNodeIsForceDeletedAndItsTaskEndsPodDisappeared() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        Pod pod = launch(task);
        kubelet.run(pod);
        kubelet.terminatingOnALostNode(pod);
        assertTrue(kubelet.pods(task.id()).getFirst().getMetadata().getDeletionTimestamp() != null);

        TaskRecord ended = awaitEnded(task);
        assertEquals(TaskOutcome.POD_DISAPPEARED, ended.outcome());
        Map<String, String> row = queue.result(task);
        assertEquals("FAILED", row.get("status"));
        assertTrue(row.get("description").startsWith("pod disappeared: its node was lost (the pod was still Terminating "),
                row.toString());
        // The mock keeps it for its finalizer; once that is gone, the worker's next deletion removes it.
        kubelet.release(pod);
        Eventually.await("the pod deleted", () -> kubelet.pods(task.id()).isEmpty());
    }

    @Test
    void aStoppingPodIsNotHeartBeatenAndDoesNotKeepItsReadOpen() throws Exception {
        // A worker that waits an hour before it calls a stopping pod lost, in a namespace of its own.
        limited = worker(LIMITED, "SYNCCTL_TERMINATING_MARGIN", "1h");
        limited.startWatching();
        SimulatedKubelet node = new SimulatedKubelet(server, LIMITED);
        TaskRecord task = queue.accept(TaskType.READ);
        limited.launcher().launch(task.id());
        Pod pod = node.awaitPod(task.id());
        node.run(pod);
        node.terminatingOnALostNode(pod);
        queue.execute("UPDATE source_task SET updated_at = now() - interval '2 hours' WHERE task_id = ?", task.taskId());
        // The heartbeat runs every second here: a few of them.
        Thread.sleep(3_000);
        assertEquals("false", queue.row("SELECT (updated_at > now() - interval '1 hour')::text AS fresh FROM source_task"
                + " WHERE task_id = ?", task.taskId()).get("fresh"), "a stopping pod's read was heart-beaten");
        assertEquals(TaskPhase.LAUNCHED, queue.task(task.id()).phase());

        limited.staleReads().closeStale();
        assertEquals("FAILED", queue.result(task).get("status"));
        assertEquals(TaskOutcome.STALE, queue.task(task.id()).outcome());
        node.release(pod);
        node.client().pods().inNamespace(LIMITED).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }

    @Test
    void beyondMaxRunningPodsTasksWaitInTheQueueOldestFirst() throws Exception {
        // The limit counts every task with a pod in this database: end what earlier tests left open.
        queue.execute("UPDATE syncctl_task SET phase = 'DONE', outcome = 'FAILED', finished_at = now()"
                + " WHERE phase IN ('QUEUED', 'LAUNCHED')");
        limited = worker(LIMITED, "SYNCCTL_MAX_RUNNING_PODS", "2");
        limited.startWatching();
        SimulatedKubelet node = new SimulatedKubelet(server, LIMITED);
        List<TaskRecord> tasks = List.of(queue.accept(TaskType.READ), queue.accept(TaskType.READ),
                queue.accept(TaskType.READ), queue.accept(TaskType.READ));
        for (TaskRecord t : tasks) {
            limited.steps().launch(t.id(), t.label());
        }
        Pod first = node.awaitPod(tasks.get(0).id());
        node.awaitPod(tasks.get(1).id());
        for (TaskRecord t : tasks.subList(2, 4)) {
            assertTrue(node.pods(t.id()).isEmpty(), t.label());
            assertEquals(TaskPhase.QUEUED, queue.task(t.id()).phase());
        }
        assertTrue(waitingLines(tasks.get(2)).getFirst().matches("INFO syncctl waiting for room in the queue for \\d+ s: "
                + "2 of at most 2 task pods exist \\(SYNCCTL_MAX_RUNNING_PODS\\)"), waitingLines(tasks.get(2)).toString());
        assertTrue(waitingLines(tasks.get(3)).getFirst().endsWith(" and 1 task waits ahead of this one"),
                waitingLines(tasks.get(3)).toString());

        // One ends: room for one, and it goes to the oldest waiting task.
        node.run(first);
        queue.sidecarSucceeds(tasks.get(0));
        node.succeed(first);
        awaitEnded(tasks.get(0));
        limited.steps().launch(tasks.get(3).id(), tasks.get(3).label());
        assertTrue(node.pods(tasks.get(3).id()).isEmpty(), "a younger task took the room of an older one");
        limited.steps().launch(tasks.get(2).id(), tasks.get(2).label());
        node.awaitPod(tasks.get(2).id());
        assertEquals(TaskPhase.LAUNCHED, queue.task(tasks.get(2).id()).phase());

        queue.execute("UPDATE syncctl_task SET phase = 'DONE', outcome = 'FAILED', finished_at = now()"
                + " WHERE phase IN ('QUEUED', 'LAUNCHED')");
    }

    /** A worker of its own in {@code namespace}, with {@code settings} on top of the suite's. */
    private Worker worker(String namespace, String... settings) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SYNCCTL_DATABASE_URL", DatabaseProxyResource.databaseUrl());
        env.put("SYNCCTL_INTERNAL_SCHEMA", io.syncctl.shared.testing.TestSchemas.internal());
        env.put("SYNCCTL_KUBERNETES_NAMESPACE", namespace);
        env.put("SYNCCTL_INSTANCE_ID", namespace);
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(KubernetesConnection.withoutClientRetries(server.getClient().getConfiguration())).build();
        return new Worker(WorkerSettings.from(env), dataSource, client, new SimpleMeterRegistry(), Clock.systemUTC());
    }
}
