package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.syncctl.devkit.cluster.ClusterTestSupport.await;
import static io.syncctl.devkit.cluster.ClusterTestSupport.awaitPod;
import static io.syncctl.devkit.cluster.ClusterTestSupport.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pod shaped like the worker's task pods (contract section 3): a busybox init container
 * making FIFOs and unpacking gzip config from a Secret created after the pod and owned by it,
 * an Airbyte-style source writing into the FIFOs, and a sidecar reading them.
 */
class WorkerShapedPodTest {

    @TempDir
    Path dir;

    @Test
    void aTaskPodRunsItsConnectorThroughFifosAndItsSecretGoesWithIt() throws Exception {
        Path connector = script("connector", """
                echo '{"type":"LOG","log":{"level":"INFO","message":"checking"}}'
                echo "args: $*"
                echo "config: $(cat "$3")"
                echo 'connector warning' >&2
                """);
        Path sidecar = script("sidecar", """
                cat "$STDOUT_PIPE_FILE" > stdout.txt &
                sed 's/^/stderr: /' "$STDERR_PIPE_FILE" > stderr.txt
                wait
                cat stdout.txt stderr.txt
                echo "command $COMMAND, database $DATABASE_URL, config dir has: $(ls "$CONFIG_DIR")"
                """);
        try (LocalCluster cluster = ClusterTestSupport.start(dir, 2,
                "--image", "test/connector=" + connector, "--image", "syncctl/sidecar=" + sidecar);
             KubernetesClient client = ClusterTestSupport.clientFor(cluster)) {

            Pod pod = client.resource(taskPod()).create();
            client.resource(new SecretBuilder()
                    .withNewMetadata().withName("task-config").withNamespace("default")
                    .addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid()).endOwnerReference().endMetadata()
                    .withImmutable(true)
                    .withData(Map.of("config", gzipBase64("{\"api_key\":\"k-123\"}"),
                            "databaseUrl", Base64.getEncoder().encodeToString("postgresql://db/x".getBytes(StandardCharsets.UTF_8))))
                    .build()).create();

            awaitPod(client, "task", phase("Succeeded"));

            String log = client.pods().withName("task").inContainer("sidecar").getLog();
            String configFile = log.lines().filter(l -> l.startsWith("args: ")).findFirst().orElseThrow().replaceAll(".* ", "");
            Path configDir = Path.of(configFile).getParent();
            assertEquals("""
                    {"type":"LOG","log":{"level":"INFO","message":"checking"}}
                    args: check --config %s
                    config: {"api_key":"k-123"}
                    stderr: connector warning
                    command check, database postgresql://db/x, config dir has: config.json
                    """.formatted(configFile), log);
            assertTrue(configDir.startsWith("/dev/shm") || !Files.isDirectory(Path.of("/dev/shm")),
                    "a Memory emptyDir lives in tmpfs: " + configDir);
            assertEquals("", client.pods().withName("task").inContainer("source").getLog());

            client.pods().withName("task").delete();
            await(() -> client.secrets().withName("task-config").get() == null, () -> "the task's Secret outlived its pod");
            await(() -> !Files.exists(configDir), () -> "the pod's unpacked config outlived it");
        }
    }

    private Pod taskPod() {
        return new PodBuilder()
                .withNewMetadata().withName("task").withNamespace("default").endMetadata()
                .withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false).withTerminationGracePeriodSeconds(5L)
                .addNewVolume().withName("pipes").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("config").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("task-config")
                .withItems(List.of(new KeyToPath("config", 0400, "config.gz"))).withDefaultMode(0400).endSecret().endVolume()
                .addNewInitContainer().withName("init").withImage("busybox:1.36")
                .withCommand("sh", "-c", "set -e; mkfifo /pipes/stdout /pipes/stderr; gunzip -c /secret/config.gz > /config/config.json")
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/config").endVolumeMount()
                .addNewVolumeMount().withName("secret").withMountPath("/secret").withReadOnly(true).endVolumeMount()
                .endInitContainer()
                .addNewContainer().withName("source").withImage("test/connector:0.1.0")
                .withCommand("sh", "-c", "eval \"$AIRBYTE_ENTRYPOINT check --config /config/config.json\" 2> /pipes/stderr > /pipes/stdout")
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/config").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("syncctl/sidecar:0.1.0")
                .addNewEnv().withName("STDOUT_PIPE_FILE").withValue("/pipes/stdout").endEnv()
                .addNewEnv().withName("STDERR_PIPE_FILE").withValue("/pipes/stderr").endEnv()
                .addNewEnv().withName("COMMAND").withValue("check").endEnv()
                .addNewEnv().withName("CONFIG_DIR").withValue("/config").endEnv()
                .addNewEnv().withName("DATABASE_URL").withNewValueFrom().withNewSecretKeyRef("databaseUrl", "task-config", false)
                .endValueFrom().endEnv()
                .addNewVolumeMount().withName("pipes").withMountPath("/pipes").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/config").withReadOnly(true).endVolumeMount()
                .endContainer()
                .endSpec().build();
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name + ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String gzipBase64(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
