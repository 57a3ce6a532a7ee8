package io.syncctl.worker.launch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.syncctl.shared.config.DurationSetting;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.Tasks;
import io.syncctl.worker.support.TestSettings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskPodBuilderTest {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String CONFIG = "{\"password\":\"connector-pw-123\",\"host\":\"h\"}";
    private static final String DESTINATION = "{\"destinationType\":\"postgres\",\"password\":\"dest-pw-456\"}";
    private static final TaskPayload READ_PAYLOAD = new TaskPayload(CONFIG, "{\"streams\":[]}", "{}", DESTINATION);

    static TaskRecord task(TaskType type) {
        return Tasks.record(type);
    }

    @Test
    void readPodFollowsTheContract() {
        TaskPod built = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings(
                "SYNCCTL_KUBERNETES_NODE_SELECTOR", "{\"pool\":\"syncs\"}",
                "SYNCCTL_KUBERNETES_SERVICE_ACCOUNT", "syncctl-tasks",
                "SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS", "45",
                "SYNCCTL_SIDECAR_IDLE_TIMEOUT", "90s"));
        Pod pod = built.pod();
        String name = pod.getMetadata().getName();
        assertEquals("syncctl-read-" + JobIds.readTask("run-2024-06-01"), name);
        assertTrue(DNS_LABEL.matcher(name).matches() && name.length() <= 63, name);
        assertEquals("syncs", pod.getMetadata().getNamespace());
        assertEquals(Map.of("app.kubernetes.io/name", "syncctl-task", "app.kubernetes.io/managed-by", "syncctl",
                "syncctl.io/task", JobIds.readTask("run-2024-06-01").toString(), "syncctl.io/task-type", "read",
                "syncctl.io/sync-id", "sync-1"), pod.getMetadata().getLabels());
        assertEquals("run-2024-06-01", pod.getMetadata().getAnnotations().get("syncctl.io/task-id"));
        assertEquals("airbyte/source-postgres", pod.getMetadata().getAnnotations().get("syncctl.io/package"));

        var spec = pod.getSpec();
        assertEquals("Never", spec.getRestartPolicy());
        assertFalse(spec.getAutomountServiceAccountToken());
        assertEquals("syncctl-tasks", spec.getServiceAccountName());
        assertEquals(Map.of("pool", "syncs"), spec.getNodeSelector());
        assertEquals(45L, spec.getTerminationGracePeriodSeconds());
        assertEquals(List.of("pipes", "config", "credentials", "secret", "sidecar-tmp"),
                spec.getVolumes().stream().map(v -> v.getName()).toList());
        assertEquals("Memory", volume(pod, "config").getEmptyDir().getMedium());
        assertEquals("Memory", volume(pod, "credentials").getEmptyDir().getMedium());
        assertEquals(name + "-config", volume(pod, "secret").getSecret().getSecretName());

        Container init = spec.getInitContainers().get(0);
        assertEquals("init", init.getName());
        assertEquals("busybox:1.36", init.getImage());
        String script = init.getCommand().get(2);
        assertEquals("set -e; umask 0337; mkfifo -m 0660 /pipes/stdout /pipes/stderr"
                + "; gunzip -c /secret/config.gz > /config/config.json"
                + "; gunzip -c /secret/catalog.gz > /config/catalog.json"
                + "; gunzip -c /secret/state.gz > /config/state.json"
                + "; umask 0377; gunzip -c /secret/destinationConfig.gz > /credentials/destinationConfig.json"
                + "; cat /secret/databaseUrl > /credentials/databaseUrl", script);

        Container source = spec.getContainers().get(0);
        assertEquals("source", source.getName());
        assertEquals("airbyte/source-postgres:3.6.2", source.getImage());
        assertEquals(List.of("sh", "-c", TaskPodBuilder.sourceScript(TaskType.READ, 180)), source.getCommand());
        assertTrue(source.getCommand().get(2).endsWith("exec 2> /pipes/stderr > /pipes/stdout; kill $! 2>/dev/null; "
                + "[ -e /pipes/gave-up ] && exit 3; eval \"$AIRBYTE_ENTRYPOINT read --config /config/config.json --catalog /config/catalog.json "
                + "--state /config/state.json\""), source.getCommand().get(2));
        assertTrue(source.getCommand().get(2).startsWith("( trap 'kill $! 2>/dev/null; exit 0' TERM; sleep 180 & wait $!; "),
                source.getCommand().get(2));
        assertEquals(List.of("/pipes", "/config"), source.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
        assertEquals(Map.of("USE_STREAM_CAPABLE_STATE", "true", "AUTO_DETECT_SCHEMA", "true"), env(source));
        assertEquals(new Quantity("2Gi"), source.getResources().getLimits().get("memory"));
        assertEquals(new Quantity("100m"), source.getResources().getRequests().get("cpu"));

        Container sidecar = spec.getContainers().get(1);
        assertEquals("jitsucom/sidecar:1.2", sidecar.getImage());
        Map<String, String> env = env(sidecar);
        assertEquals("/pipes/stdout", env.get("STDOUT_PIPE_FILE"));
        assertEquals("/pipes/stderr", env.get("STDERR_PIPE_FILE"));
        assertEquals("read", env.get("COMMAND"));
        assertEquals("airbyte/source-postgres", env.get("PACKAGE"));
        assertEquals("3.6.2", env.get("PACKAGE_VERSION"));
        assertEquals("sync-1", env.get("SYNC_ID"));
        assertEquals("run-2024-06-01", env.get("TASK_ID"));
        assertEquals("pg_", env.get("TABLE_NAME_PREFIX"));
        assertEquals("{\"user\":\"ann\"}", env.get("STARTED_BY"));
        assertEquals("2024-06-01T10:00:00.123Z", env.get("STARTED_AT"));
        assertEquals("/config", env.get("CONFIG_DIR"));
        assertEquals("/credentials", env.get("DESTINATION_CONFIG_DIR"));
        assertEquals(java.time.Duration.ofSeconds(90), DurationSetting.parse(env.get("IDLE_TIMEOUT")));
        assertEquals(java.time.Duration.ofSeconds(210), DurationSetting.parse(env.get("START_TIMEOUT")));
        assertEquals("analytics", env.get("NAMESPACE"));
        assertEquals("true", env.get("TO_SAME_CASE"));
        assertEquals("false", env.get("FULL_SYNC"));
        assertEquals("/credentials/databaseUrl", env.get("DATABASE_URL_FILE"));
        assertFalse(env.containsKey("DATABASE_URL"));
        assertTrue(sidecar.getEnv().stream().allMatch(e -> e.getValueFrom() == null), "no credential in the environment");
        assertEquals(List.of("/pipes", "/config", "/credentials", "/tmp"),
                sidecar.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    }

    @Test
    void onlyTheSidecarMountsTheCredentials() {
        for (TaskType type : TaskType.values()) {
            Pod pod = TaskPodBuilder.build(task(type), READ_PAYLOAD, TestSettings.settings(
                    "SYNCCTL_SOURCE_READ_ONLY_ROOT_FILESYSTEM", "true")).pod();
            Container source = pod.getSpec().getContainers().get(0);
            assertEquals(List.of("pipes", "config", "source-tmp"), source.getVolumeMounts().stream().map(m -> m.getName()).toList());
            assertTrue(source.getVolumeMounts().stream().filter(m -> m.getName().equals("config")).allMatch(m -> m.getReadOnly()));
            assertTrue(source.getEnvFrom().isEmpty());
            // the connector's script unpacks nothing of the sidecar's into its volume
            String script = pod.getSpec().getInitContainers().get(0).getCommand().get(2);
            assertFalse(script.matches(".*> /config/(destinationConfig|databaseUrl).*"), script);
            assertFalse(script.contains("/config/destinationConfig"), script);
        }
    }

    @Test
    void initAndSidecarRunLockedDownAndTheSourceAsSettingsRequire() {
        Pod pod = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings()).pod();
        assertEquals(10001L, pod.getSpec().getSecurityContext().getFsGroup());
        assertEquals("RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
        for (Container c : List.of(pod.getSpec().getInitContainers().get(0), pod.getSpec().getContainers().get(1))) {
            var sc = c.getSecurityContext();
            assertTrue(sc.getRunAsNonRoot(), c.getName());
            assertEquals(10001L, sc.getRunAsUser(), c.getName());
            assertEquals(10001L, sc.getRunAsGroup(), c.getName());
            assertTrue(sc.getReadOnlyRootFilesystem(), c.getName());
            assertFalse(sc.getAllowPrivilegeEscalation(), c.getName());
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), c.getName());
            assertTrue(sc.getCapabilities().getAdd() == null || sc.getCapabilities().getAdd().isEmpty(), c.getName());
            assertNull(sc.getPrivileged(), c.getName());
            assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), c.getName());
        }
        var source = pod.getSpec().getContainers().get(0).getSecurityContext();
        assertNull(source.getRunAsNonRoot(), "the image's user by default");
        assertNull(source.getRunAsUser());
        assertFalse(source.getReadOnlyRootFilesystem());
        assertFalse(source.getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), source.getCapabilities().getDrop());
        assertEquals("RuntimeDefault", source.getSeccompProfile().getType());

        Pod strict = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings(
                "SYNCCTL_SOURCE_RUN_AS_NON_ROOT", "true", "SYNCCTL_SOURCE_READ_ONLY_ROOT_FILESYSTEM", "true",
                "SYNCCTL_SIDECAR_UID", "2000", "SYNCCTL_SIDECAR_GID", "3000")).pod();
        var strictSource = strict.getSpec().getContainers().get(0);
        assertTrue(strictSource.getSecurityContext().getRunAsNonRoot());
        assertTrue(strictSource.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals("/tmp", strictSource.getVolumeMounts().get(2).getMountPath(), "a writable /tmp on a read-only root");
        assertEquals(3000L, strict.getSpec().getSecurityContext().getFsGroup());
        assertEquals(2000L, strict.getSpec().getContainers().get(1).getSecurityContext().getRunAsUser());
        assertEquals(3000L, strict.getSpec().getInitContainers().get(0).getSecurityContext().getRunAsGroup());
    }

    @Test
    void volumesHaveSizeLimitsAndEphemeralStorageIsSettable() {
        Pod pod = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings(
                "SYNCCTL_SOURCE_EPHEMERAL_STORAGE_REQUEST", "1Gi", "SYNCCTL_SOURCE_EPHEMERAL_STORAGE_LIMIT", "4Gi",
                "SYNCCTL_SIDECAR_EPHEMERAL_STORAGE_LIMIT", "512Mi")).pod();
        for (var v : pod.getSpec().getVolumes()) {
            if (v.getEmptyDir() != null) {
                assertTrue(v.getEmptyDir().getSizeLimit() != null, v.getName() + " has no size limit");
            }
        }
        assertEquals(new Quantity("1Mi"), volume(pod, "pipes").getEmptyDir().getSizeLimit());
        assertEquals(new Quantity("64Mi"), volume(pod, "config").getEmptyDir().getSizeLimit());
        assertEquals(0440, volume(pod, "secret").getSecret().getDefaultMode());
        var source = pod.getSpec().getContainers().get(0).getResources();
        assertEquals(new Quantity("1Gi"), source.getRequests().get("ephemeral-storage"));
        assertEquals(new Quantity("4Gi"), source.getLimits().get("ephemeral-storage"));
        var sidecar = pod.getSpec().getContainers().get(1).getResources();
        assertEquals(new Quantity("512Mi"), sidecar.getLimits().get("ephemeral-storage"));
        assertFalse(sidecar.getRequests().containsKey("ephemeral-storage"));
        Pod plain = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings()).pod();
        assertFalse(plain.getSpec().getContainers().get(0).getResources().getLimits().containsKey("ephemeral-storage"));
    }

    @Test
    void theInitImageCanBePinnedByDigest() {
        String pinned = "registry.local:5000/tools/busybox@sha256:" + "ab".repeat(32);
        Pod pod = TaskPodBuilder.build(task(TaskType.CHECK), TaskPayload.config(CONFIG),
                TestSettings.settings("SYNCCTL_INIT_IMAGE", pinned)).pod();
        assertEquals(pinned, pod.getSpec().getInitContainers().get(0).getImage());
    }

    @Test
    void commandsPerTaskType() {
        assertEquals("spec", TaskPodBuilder.connectorCommand(TaskType.SPEC));
        assertEquals("check --config /config/config.json", TaskPodBuilder.connectorCommand(TaskType.CHECK));
        assertEquals("discover --config /config/config.json", TaskPodBuilder.connectorCommand(TaskType.DISCOVER));
        TaskPod check = TaskPodBuilder.build(task(TaskType.CHECK), TaskPayload.config(CONFIG), TestSettings.settings());
        Map<String, String> env = env(check.pod().getSpec().getContainers().get(1));
        assertEquals("check", env.get("COMMAND"));
        assertEquals("conn-17", env.get("STORAGE_KEY"));
        assertEquals(setOf("config", "databaseUrl"), check.secret().getData().keySet());
        // Every item the secret volume projects names a key the Secret has (else the pod never starts).
        for (var item : volume(check.pod(), "secret").getSecret().getItems()) {
            assertTrue(check.secret().getData().containsKey(item.getKey()), item.getKey());
            assertEquals(item.getKey().equals("databaseUrl") ? "databaseUrl" : item.getKey() + ".gz", item.getPath());
        }
        String script = check.pod().getSpec().getInitContainers().get(0).getCommand().get(2);
        assertFalse(script.contains("catalog"), script);
        TaskPod spec = TaskPodBuilder.build(task(TaskType.SPEC), TaskPayload.empty(), TestSettings.settings());
        assertEquals(setOf("databaseUrl"), spec.secret().getData().keySet());
        assertTrue(spec.pod().getSpec().getContainers().get(0).getCommand().get(2).endsWith("eval \"$AIRBYTE_ENTRYPOINT spec\""));
    }

    @Test
    void namesAreDistinctAndDeterministic() {
        TaskRecord a = task(TaskType.DISCOVER);
        TaskRecord b = new TaskRecord(UUID.randomUUID(), TaskType.DISCOVER, a.pkg(), a.version(), a.storageKey(), null, null,
                Map.of(), TaskPhase.QUEUED, null, a.acceptedAt(), null, null, null, null);
        assertEquals(PodNames.pod(a), PodNames.pod(a));
        assertNotEquals(PodNames.pod(a), PodNames.pod(b));
        assertTrue(PodNames.pod(b).length() <= 63);
        assertEquals(Serialization.asJson(TaskPodBuilder.build(a, TaskPayload.config(CONFIG), TestSettings.settings()).pod()),
                Serialization.asJson(TaskPodBuilder.build(a, TaskPayload.config(CONFIG), TestSettings.settings()).pod()));
    }

    @Test
    void theSecretHoldsGzippedConfigAndTheDatabaseUrl() throws Exception {
        Secret secret = TaskPodBuilder.build(task(TaskType.READ), READ_PAYLOAD, TestSettings.settings()).secret();
        assertTrue(secret.getImmutable());
        assertEquals(CONFIG, gunzip(secret.getData().get("config")));
        assertEquals(DESTINATION, gunzip(secret.getData().get("destinationConfig")));
        assertEquals(TestSettings.SIDECAR_DB_URL, new String(Base64.getDecoder().decode(secret.getData().get("databaseUrl")),
                StandardCharsets.UTF_8));
        Pod owner = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("p").withUid("uid-1")
                .endMetadata().build();
        var ref = new TaskPod(null, secret).secretOwnedBy(owner).getMetadata().getOwnerReferences().get(0);
        assertEquals("Pod", ref.getKind());
        assertEquals("uid-1", ref.getUid());
    }

    @Test
    void theSidecarLogsInTheWorkersFormat() {
        Container text = TaskPodBuilder.build(task(TaskType.CHECK), TaskPayload.config(CONFIG), TestSettings.settings()).pod()
                .getSpec().getContainers().stream().filter(c -> c.getName().equals(TaskPodBuilder.SIDECAR)).findFirst().orElseThrow();
        assertFalse(env(text).containsKey("SYNCCTL_LOG_FORMAT"));
        Container json = TaskPodBuilder.build(task(TaskType.CHECK), TaskPayload.config(CONFIG),
                        TestSettings.settings("SYNCCTL_LOG_FORMAT", "json")).pod()
                .getSpec().getContainers().stream().filter(c -> c.getName().equals(TaskPodBuilder.SIDECAR)).findFirst().orElseThrow();
        assertEquals("json", env(json).get("SYNCCTL_LOG_FORMAT"));
    }

    @Test
    void noCredentialAnywhereInThePodSpec() {
        for (TaskType type : TaskType.values()) {
            String json = Serialization.asJson(TaskPodBuilder.build(task(type), READ_PAYLOAD, TestSettings.settings()).pod());
            for (String secret : List.of(TestSettings.DB_PASSWORD, "postgresql://", "connector-pw-123", "dest-pw-456",
                    "db.internal", Base64.getEncoder().encodeToString(TaskPodBuilder.gzip(CONFIG)))) {
                assertFalse(json.contains(secret), type + " pod spec contains " + secret);
            }
        }
    }

    @Test
    void theSidecarReadsBackWhatTheTaskSays() {
        // The pod's environment, with the database URL the Secret supplies, read as the sidecar reads it.
        TaskRecord task = task(TaskType.READ);
        TaskPod built = TaskPodBuilder.build(task, READ_PAYLOAD, TestSettings.settings("SYNCCTL_SIDECAR_IDLE_TIMEOUT", "90s"));
        Map<String, String> env = new LinkedHashMap<>(env(built.pod().getSpec().getContainers().get(1)));
        env.put("DATABASE_URL", TestSettings.SIDECAR_DB_URL);
        SidecarSettings read = SidecarSettings.from(env);
        assertEquals(TaskType.READ, read.command());
        assertEquals(task.syncId(), read.syncId());
        assertEquals(task.taskId(), read.taskId());
        assertEquals("pg_", read.tableNamePrefix());
        assertEquals(new SidecarSettings.ReadOptions("analytics", true, false, true, false, false), read.options());
        assertEquals(task.acceptedAt(), read.startedAt());
        assertEquals(java.time.Duration.ofSeconds(90), read.idleTimeout());
        assertEquals("syncctl", read.internalSchema());
        assertEquals(TaskPodBuilder.sidecarSettings(task, TestSettings.settings("SYNCCTL_SIDECAR_IDLE_TIMEOUT", "90s")),
                new SidecarSettings(read.command(), read.stdoutPipe(), read.stderrPipe(), read.configDir(),
                        read.destinationConfigDir(), null, read.pkg(), read.version(), read.storageKey(), read.syncId(),
                        read.taskId(), read.tableNamePrefix(), read.startedByJson(), read.startedAt(), read.idleTimeout(),
                        read.startTimeout(), read.heartbeat(), read.internalSchema(), read.options()));

        TaskRecord check = task(TaskType.CHECK);
        Map<String, String> checkEnv = new LinkedHashMap<>(env(TaskPodBuilder.build(check, TaskPayload.config(CONFIG),
                TestSettings.settings()).pod().getSpec().getContainers().get(1)));
        checkEnv.put("DATABASE_URL", TestSettings.SIDECAR_DB_URL);
        assertEquals(check.id(), SidecarSettings.from(checkEnv).checkTaskId(), "a check's TASK_ID is its internal id");
    }

    @Test
    void theSidecarWritesResultsForTheSameTaskAsTheWorker() {
        // ResultEffects gets the same TaskRef from the sidecar's environment as from the task row.
        for (TaskType type : TaskType.values()) {
            TaskRecord task = task(type);
            Map<String, String> env = new LinkedHashMap<>(env(TaskPodBuilder.build(task, READ_PAYLOAD, TestSettings.settings())
                    .pod().getSpec().getContainers().get(1)));
            env.put("DATABASE_URL", TestSettings.SIDECAR_DB_URL);
            assertEquals(task.ref(), SidecarSettings.from(env).ref(), type.command());
        }
    }

    @Test
    void theConsolesKeysAndNamesNeverBreakAPod() {
        // As the console sends them: storageKey <workspaceId>_<serviceId>_<md5 hex>_<queryId>, ids of any printable
        // text up to 1,024 characters, namespace ${LEGACY}, a prefix with ${SOURCE_NAMESPACE}.
        String storageKey = "clx2x8y9z0000abcdefghijk_cly9q7r6s0001lmnopqrstu_5f4dcc3b5aa765d61d8327deb882cf99_q-1733100000000";
        String syncId = "cly9q7r6s0001lmnopqrstu sync: Postgres → Warehouse " + "x".repeat(900);
        String taskId = "${LEGACY}/" + "t".repeat(1014);
        TaskRecord check = new TaskRecord(UUID.randomUUID(), TaskType.CHECK, "airbyte/source-postgres", "3.6.2", storageKey,
                null, null, Map.of(), TaskPhase.QUEUED, null, Instant.parse("2024-12-02T00:40:00Z"), null, null, null, null);
        Map<String, String> options = new LinkedHashMap<>();
        options.put("namespace", "${LEGACY}");
        options.put("tableNamePrefix", "${SOURCE_NAMESPACE}_raw ");
        TaskRecord read = new TaskRecord(JobIds.readTask(taskId), TaskType.READ, "airbyte/source-postgres", "3.6.2", null,
                syncId, taskId, options, TaskPhase.QUEUED, null, Instant.parse("2024-12-02T00:40:00Z"), null, null, null, null);
        for (TaskRecord task : List.of(check, read)) {
            TaskPod built = TaskPodBuilder.build(task, READ_PAYLOAD, TestSettings.settings());
            for (var meta : List.of(built.pod().getMetadata(), built.secret().getMetadata())) {
                assertTrue(DNS_LABEL.matcher(meta.getName()).matches() && meta.getName().length() <= 63, meta.getName());
                meta.getLabels().forEach((k, v) -> assertTrue(TaskLabels.isLabelValue(v), k + "=" + v));
            }
            Map<String, String> annotations = built.pod().getMetadata().getAnnotations();
            Map<String, String> env = env(built.pod().getSpec().getContainers().get(1));
            if (task == check) {
                assertEquals(storageKey, annotations.get("syncctl.io/storage-key"));
                assertEquals(storageKey, env.get("STORAGE_KEY"));
            } else {
                assertEquals(syncId, annotations.get("syncctl.io/sync-id"), "the full value where it fits");
                assertEquals(taskId, annotations.get("syncctl.io/task-id"));
                assertEquals(TaskLabels.labelValue(syncId), built.pod().getMetadata().getLabels().get("syncctl.io/sync-id"));
                assertTrue(TaskLabels.labelValue(syncId).startsWith("sha256-"));
                assertEquals(syncId, env.get("SYNC_ID"));
                assertEquals(taskId, env.get("TASK_ID"));
                assertEquals("${LEGACY}", env.get("NAMESPACE"));
                assertEquals("${SOURCE_NAMESPACE}_raw ", env.get("TABLE_NAME_PREFIX"));
            }
        }
        assertEquals("sync-1", TaskLabels.labelValue("sync-1"), "a value a label can hold stays readable");
        assertNotEquals(TaskLabels.labelValue(syncId), TaskLabels.labelValue(syncId + "y"));
    }

    private static io.fabric8.kubernetes.api.model.Volume volume(Pod pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }

    private static java.util.Set<String> setOf(String... s) {
        return java.util.Set.of(s);
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static String gunzip(String base64) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
