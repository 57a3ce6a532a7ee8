package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.Worker;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.kube.KubernetesConnection;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import io.syncctl.worker.support.SimulatedKubelet;
import io.syncctl.shared.testing.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several workers sharing one database and one API server (in their own namespace, apart from the
 * application's worker): each task gets one pod and one ending, and a worker started after another
 * stopped finalises what that one left running.
 */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class ReplicasTest extends WorkerTestBase {
    static final String REPLICAS = "replicas";
    private final List<Worker> started = new ArrayList<>();
    private final List<SimpleMeterRegistry> registries = new ArrayList<>();

    private Worker replica() {
        return replica(server.getClient().getConfiguration());
    }

    private Worker replica(io.fabric8.kubernetes.client.Config kubernetes) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SYNCCTL_DATABASE_URL", DatabaseProxyResource.databaseUrl());
        env.put("SYNCCTL_INTERNAL_SCHEMA", io.syncctl.shared.testing.TestSchemas.internal());
        env.put("SYNCCTL_KUBERNETES_NAMESPACE", REPLICAS);
        env.put("SYNCCTL_INSTANCE_ID", "replica-" + started.size());
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(KubernetesConnection.withoutClientRetries(kubernetes)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Worker w = new Worker(WorkerSettings.from(env), dataSource, client, registry, Clock.systemUTC());
        started.add(w);
        registries.add(registry);
        return w;
    }

    @AfterEach
    void stopReplicas() {
        // Quarkus may keep one test instance for the whole class: start each test with no replicas.
        started.forEach(Worker::close);
        started.clear();
        registries.clear();
    }

    private double finishedCount() {
        return registries.stream().flatMap(r -> r.find("syncctl.tasks.finished").counters().stream())
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void twoWorkersCreateOnePodPerTaskAndEndEachTaskOnce() throws Exception {
        SimulatedKubelet node = new SimulatedKubelet(server, REPLICAS);
        Worker a = replica();
        Worker b = replica();
        a.startWatching();
        b.startWatching();
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TaskRecord task = queue.accept(TaskType.READ);
            tasks.add(task);
            // The same launch job running on both (e.g. retried after an orphaned run).
            CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> a.steps().launch(task.id(), task.label()));
            CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> b.steps().launch(task.id(), task.label()));
            fromA.join();
            fromB.join();
        }
        for (TaskRecord task : tasks) {
            assertEquals(1, node.pods(task.id()).size());
            assertEquals(TaskPhase.LAUNCHED, queue.task(task.id()).phase());
            Pod pod = node.awaitPod(task.id());
            node.run(pod);
            node.end(pod, 137, "OOMKilled", 0, "", "");
        }
        for (TaskRecord task : tasks) {
            Eventually.await("task ended", () -> queue.task(task.id()).phase().terminal());
            assertEquals("FAILED", queue.result(task).get("status"));
            Eventually.await("pod removed", () -> node.pods(task.id()).isEmpty());
        }
        Thread.sleep(1500); // let both workers see every pod's end and deletion
        for (TaskRecord task : tasks) {
            assertEquals(1, queue.logLines(task).stream().filter(l -> l.contains("task ended")).count(),
                    "one ending per task: " + queue.logLines(task));
        }
        assertEquals(tasks.size(), finishedCount(), 0.0);
    }

    @Test
    void aWorkerStartedLaterFinalisesWhatAStoppedOneLeftRunning() throws Exception {
        SimulatedKubelet node = new SimulatedKubelet(server, REPLICAS);
        Worker first = replica();
        first.startWatching();
        TaskRecord succeeded = queue.accept(TaskType.CHECK);
        TaskRecord vanished = queue.accept(TaskType.READ);
        TaskRecord stillRunning = queue.accept(TaskType.READ);
        List<Pod> pods = new ArrayList<>();
        for (TaskRecord t : List.of(succeeded, vanished, stillRunning)) {
            first.launcher().launch(t.id());
            Pod pod = node.awaitPod(t.id());
            node.run(pod);
            pods.add(pod);
        }
        first.close();

        // While no worker runs: one pod ends, one disappears, one keeps running.
        queue.sidecarSucceeds(succeeded);
        node.succeed(pods.get(0));
        node.delete(pods.get(1));
        queue.execute("UPDATE syncctl_task SET launched_at = now() - interval '1 minute' WHERE id = ?", vanished.id());

        Worker second = replica();
        second.startWatching();
        Eventually.await("succeeded task finalised", () -> queue.task(succeeded.id()).phase() == TaskPhase.DONE);
        assertEquals(TaskOutcome.SUCCESS, queue.task(succeeded.id()).outcome());
        Eventually.await("pod of the finalised task removed", () -> node.gone(pods.get(0)));
        Eventually.await("vanished pod noticed", () -> queue.task(vanished.id()).phase() == TaskPhase.DONE);
        assertEquals(TaskOutcome.POD_DISAPPEARED, queue.task(vanished.id()).outcome());
        assertEquals(TaskPhase.LAUNCHED, queue.task(stillRunning.id()).phase());
        assertEquals("RUNNING", queue.result(stillRunning).get("status"));

        node.end(pods.get(2), 0, "Completed", 0, "", "");
        Eventually.await("running task finalised by the new worker", () -> queue.task(stillRunning.id()).phase() == TaskPhase.DONE);
        assertEquals("the sidecar ended without recording a status", queue.result(stillRunning).get("description"));
    }

    @Test
    void aDroppedWatchIsRepairedAndMissedEndsAreFinalised() throws Exception {
        SimulatedKubelet node = new SimulatedKubelet(server, REPLICAS);
        java.net.URI api = java.net.URI.create(server.getClient().getConfiguration().getMasterUrl());
        try (TcpProxy link = new TcpProxy(api.getPort())) {
            Worker w = replica(new io.fabric8.kubernetes.client.ConfigBuilder(server.getClient().getConfiguration())
                    .withMasterUrl("http://127.0.0.1:" + link.port() + "/").build());
            w.startWatching();
            TaskRecord task = queue.accept(TaskType.DISCOVER);
            w.launcher().launch(task.id());
            Pod pod = node.awaitPod(task.id());
            node.run(pod);
            Eventually.await("worker sees the pod", () -> w.watch().knownPods().size() == 1);

            link.cut(); // the watch connection drops; the pod ends while the worker cannot see it
            queue.sidecarSucceeds(task);
            node.succeed(pod);
            Thread.sleep(1500);
            assertEquals(TaskPhase.LAUNCHED, queue.task(task.id()).phase());
            link.restore();

            Eventually.await(java.time.Duration.ofSeconds(45), "task finalised after the watch came back",
                    () -> queue.task(task.id()).phase() == TaskPhase.DONE);
            assertEquals(TaskOutcome.SUCCESS, queue.task(task.id()).outcome());
            Eventually.await("pod removed", () -> node.gone(pod));
        }
    }
}
