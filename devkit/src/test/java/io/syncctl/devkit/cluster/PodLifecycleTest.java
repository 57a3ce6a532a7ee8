package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static io.syncctl.devkit.cluster.ClusterTestSupport.await;
import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.container;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static io.syncctl.devkit.cluster.ClusterTestSupport.shellPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.waitingReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodLifecycleTest {

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static KubernetesClient client;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterTestSupport.start(dir, 8);
        client = ClusterTestSupport.clientFor(cluster);
    }

    @AfterAll
    static void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void aContainerExitingZeroSucceedsAndItsOutputIsItsLog() throws Exception {
        Pod pod = new PodBuilder(shellPod("hello", "echo one; echo two; echo three >&2"))
                .editSpec().withNodeSelector(Map.of("kubernetes.io/os", "linux")).endSpec().build();
        client.resource(pod).create();

        Pod done = awaitPod(client, "hello", phase("Succeeded"));

        ContainerStateTerminated terminated = container(done, "main").orElseThrow().getState().getTerminated();
        assertEquals(0, terminated.getExitCode());
        assertEquals("Completed", terminated.getReason());
        assertNotNull(terminated.getStartedAt());
        assertNotNull(terminated.getFinishedAt());
        assertEquals("True", condition(done, "PodScheduled").getStatus());
        assertEquals("one\ntwo\nthree\n", client.pods().withName("hello").getLog());
        assertEquals("three\n", client.pods().withName("hello").inContainer("main").tailingLines(1).getLog());
        KubernetesClientException noSuchContainer = assertThrows(KubernetesClientException.class,
                () -> client.pods().withName("hello").inContainer("other").getLog());
        assertEquals(400, noSuchContainer.getCode());
        KubernetesClientException noSuchPod = assertThrows(KubernetesClientException.class,
                () -> client.pods().withName("nobody").getLog());
        assertEquals(404, noSuchPod.getCode());
        HttpResponse<String> exec = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.apiUrl() + "/api/v1/namespaces/default/pods/hello/exec?command=ls")).build(), BodyHandlers.ofString());
        assertEquals(400, exec.statusCode());
        assertTrue(exec.body().contains("pods/exec is not supported by the local cluster"), exec.body());
    }

    @Test
    void aNonZeroExitFailsThePodWithThatExitCode() {
        client.resource(shellPod("three", "echo failing; exit 3")).create();

        Pod done = awaitPod(client, "three", phase("Failed"));

        ContainerStateTerminated terminated = container(done, "main").orElseThrow().getState().getTerminated();
        assertEquals(3, terminated.getExitCode());
        assertEquals("Error", terminated.getReason());
    }

    @Test
    void initContainersRunInOrderThenAppContainersShareAFifoThroughAnEmptyDir() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("fifo").withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewVolume().withName("pipes").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("first").withImage("test/shell")
                .withCommand("sh", "-c", "sleep 0.3; echo first >> /data/order")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endInitContainer()
                .addNewInitContainer().withName("second").withImage("test/shell")
                .withCommand("sh", "-c", "echo second >> /data/order && mkfifo /pipes/fifo")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount().endInitContainer()
                .addNewContainer().withName("writer").withImage("test/shell")
                .withCommand("sh", "-c", "echo hello through the fifo > /pipes/fifo")
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount().endContainer()
                .addNewContainer().withName("reader").withImage("test/shell")
                .withCommand("sh", "-c", "cat /data/order; cat /pipes/fifo")
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount().endContainer()
                .endSpec().build();
        client.resource(pod).create();

        Pod done = awaitPod(client, "fifo", phase("Succeeded"));

        ContainerStateTerminated first = container(done, "first").orElseThrow().getState().getTerminated();
        ContainerStateTerminated second = container(done, "second").orElseThrow().getState().getTerminated();
        assertEquals("Completed", first.getReason());
        assertEquals("Completed", second.getReason());
        assertFalse(Instant.parse(second.getStartedAt()).isBefore(Instant.parse(first.getFinishedAt())));
        assertEquals("first\nsecond\nhello through the fifo\n", client.pods().withName("fifo").inContainer("reader").getLog());
        assertEquals(0, container(done, "writer").orElseThrow().getState().getTerminated().getExitCode());
        assertEquals("True", condition(done, "Initialized").getStatus());
    }

    @Test
    void secretsReachContainersAsVolumeFilesAndSecretKeyRefsOnceTheyExist() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("secretive").withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewVolume().withName("config").withNewSecret().withSecretName("secretive-config").endSecret().endVolume()
                .addNewContainer().withName("main").withImage("test/shell")
                .withCommand("sh", "-c", "cat /config/token; echo \" $PASSWORD $POD_NAME\"; cat \"$TOKEN_FILE\"")
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "secretive-config", false)
                .endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef()
                .endValueFrom().endEnv()
                .addNewEnv().withName("TOKEN_FILE").withValue("/config/token").endEnv()
                .addNewVolumeMount().withName("config").withMountPath("/config").endVolumeMount().endContainer()
                .endSpec().build();
        client.resource(pod).create();

        Pod waiting = awaitPod(client, "secretive", p -> container(p, "main").map(c -> c.getState().getWaiting())
                .filter(w -> w.getMessage() != null && w.getMessage().contains("secret \"secretive-config\" not found")).isPresent());
        assertEquals("ContainerCreating", waitingReason(waiting, "main").orElseThrow());
        assertEquals("Pending", waiting.getStatus().getPhase());

        client.resource(new SecretBuilder().withNewMetadata().withName("secretive-config").withNamespace("default").endMetadata()
                .addToStringData("token", "t0ken").addToStringData("password", "s3cret").build()).create();

        awaitPod(client, "secretive", phase("Succeeded"));
        assertEquals("t0ken s3cret secretive\nt0ken", client.pods().withName("secretive").getLog());
    }

    @Test
    void theMappedCommandIsTheImageEntrypoint() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("entrypoint").withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("airbyte").withImage("test/echo:0.1.0")
                .withCommand("sh", "-c", "eval \"$AIRBYTE_ENTRYPOINT spec\"").endContainer()
                .addNewContainer().withName("plain").withImage("docker.io/test/echo@sha256:0123")
                .withArgs("hello", "world").endContainer()
                .endSpec().build();
        client.resource(pod).create();

        awaitPod(client, "entrypoint", phase("Succeeded"));

        assertEquals("mapped spec\n", client.pods().withName("entrypoint").inContainer("airbyte").getLog());
        assertEquals("mapped hello world\n", client.pods().withName("entrypoint").inContainer("plain").getLog());
    }

    @Test
    void anUnknownImageWaitsInErrImagePullThenImagePullBackOff() {
        Pod pod = new PodBuilder(shellPod("unknown-image", "true"))
                .editSpec().editFirstContainer().withImage("example.com/nowhere:1.2").endContainer().endSpec().build();
        client.resource(pod).create();

        Pod pulling = awaitPod(client, "unknown-image", p -> waitingReason(p, "main").isPresent());
        assertEquals("ErrImagePull", waitingReason(pulling, "main").orElseThrow());
        assertTrue(container(pulling, "main").orElseThrow().getState().getWaiting().getMessage().contains("example.com/nowhere:1.2"));

        Pod backOff = awaitPod(client, "unknown-image", p -> waitingReason(p, "main").filter("ImagePullBackOff"::equals).isPresent());
        assertEquals("Pending", backOff.getStatus().getPhase());
        client.pods().withName("unknown-image").delete();
    }

    @Test
    void aNodeSelectorMatchingNoNodeLeavesThePodUnschedulable() {
        Pod pod = new PodBuilder(shellPod("no-node", "true"))
                .editSpec().withNodeSelector(Map.of("disktype", "ssd")).endSpec().build();
        client.resource(pod).create();

        Pod pending = awaitPod(client, "no-node", p -> p.getStatus() != null && !p.getStatus().getConditions().isEmpty());

        assertEquals("Pending", pending.getStatus().getPhase());
        PodCondition scheduled = condition(pending, "PodScheduled");
        assertEquals("False", scheduled.getStatus());
        assertEquals("Unschedulable", scheduled.getReason());
        assertTrue(scheduled.getMessage().contains("didn't match Pod's node affinity/selector"), scheduled.getMessage());
        assertTrue(pending.getStatus().getContainerStatuses().isEmpty());
        client.pods().withName("no-node").delete();
    }

    @Test
    void deletionSendsSigtermToTheWholeProcessGroupThenSigkillAfterTheGracePeriod() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("marks"));
        String script = "trap 'echo term >> " + marks.resolve("term") + "' TERM; "
                + "sleep 600 & echo $! > " + marks.resolve("child") + "; "
                + "echo $$$$ > " + marks.resolve("main") + "; " // Kubernetes turns $$ into $ in commands
                + "while true; do sleep 0.1; done";
        Pod pod = new PodBuilder(shellPod("stubborn", script)).editSpec().withTerminationGracePeriodSeconds(1L).endSpec().build();
        client.resource(pod).create();
        awaitPod(client, "stubborn", phase("Running"));
        await(() -> Files.exists(marks.resolve("main")) && Files.exists(marks.resolve("child")), () -> "the container never started");
        long mainPid = Long.parseLong(Files.readString(marks.resolve("main")).trim());
        long childPid = Long.parseLong(Files.readString(marks.resolve("child")).trim());
        assertTrue(alive(mainPid) && alive(childPid));

        client.pods().withName("stubborn").delete();

        await(() -> Files.exists(marks.resolve("term")), () -> "the container's trap never saw SIGTERM");
        await(() -> !alive(mainPid), () -> "the container ignoring SIGTERM was not killed after its grace period");
        await(() -> !alive(childPid), () -> "a process the container started survived it");
    }

    @Test
    void anEvictionStopsTheContainersWhileThePodStaysWithItsFinalStatusThenDeletesIt() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("evict-marks"));
        // exits 143 on SIGTERM after writing its mark, as a process that handles the signal does
        String script = "trap 'echo term >> " + marks.resolve("term") + "; exit 143' TERM; "
                + "echo up > " + marks.resolve("up") + "; while true; do sleep 0.1; done";
        client.resource(shellPod("evicted", script)).create();
        awaitPod(client, "evicted", phase("Running"));
        await(() -> Files.exists(marks.resolve("up")), () -> "the container never started");
        java.util.List<Pod> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = client.pods().withName("evicted").watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            assertTrue(client.pods().withName("evicted").evict());

            await(() -> client.pods().withName("evicted").get() == null, () -> "the evicted pod was never deleted");
            assertTrue(Files.readString(marks.resolve("term")).contains("term"), "the container saw SIGTERM");
            assertTrue(seen.stream().anyMatch(p -> "Failed".equals(p.getStatus().getPhase())
                            && container(p, "main").map(c -> c.getState().getTerminated() != null
                            && c.getState().getTerminated().getExitCode() == 143).orElse(false)),
                    "watchers saw the pod end before it was deleted: " + seen.stream().map(p -> p.getStatus().getPhase()).toList());
        }
        KubernetesClientException gone = assertThrows(KubernetesClientException.class, () -> client.pods().withName("nobody").evict());
        assertEquals(404, gone.getCode());
    }

    @Test
    void secretsOwnedByAPodThatIsGoneAreGarbageCollected() {
        Pod pod = client.resource(shellPod("owner", "sleep 60")).create();
        Secret owned = client.resource(secret("owned", pod.getMetadata().getName(), pod.getMetadata().getUid())).create();
        client.resource(secret("orphan", "ghost", "00000000-0000-0000-0000-000000000000")).create();
        client.resource(secret("unowned", null, null)).create();

        await(() -> client.secrets().withName("orphan").get() == null, () -> "a Secret whose owner never existed was kept");
        assertNotNull(client.secrets().withName("owned").get(), "the owner still exists");

        client.pods().withName("owner").delete();

        await(() -> client.secrets().withName(owned.getMetadata().getName()).get() == null, () -> "the owned Secret was kept");
        assertNotNull(client.secrets().withName("unowned").get());
    }

    private static Secret secret(String name, String ownerName, String ownerUid) {
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToStringData("config", "{}");
        if (ownerName != null) {
            secret.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(ownerName)
                    .withUid(ownerUid).endOwnerReference().endMetadata();
        }
        return secret.build();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static PodCondition condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
