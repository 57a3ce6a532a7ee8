package io.syncctl.worker.launch;

import io.syncctl.shared.config.LogFormat;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the Secret and Pod of a task (CONTRACT section 3) as plain data, so every detail is tested
 * without a server. Pure: the same task, payload and settings give the same objects.
 *
 * <p>Secrets only travel inside the Secret: the connector and destination configuration as
 * gzip-compressed keys that the init container unpacks into a memory-backed volume, and the sidecar's
 * database URL as a {@code secretKeyRef}. The pod spec itself holds no credential.
 */
public final class TaskPodBuilder {
    public static final String SOURCE = "source";
    public static final String SIDECAR = "sidecar";
    public static final String INIT = "init";
    /** The Secret key of the sidecar's database URL; never mounted as a file, only referenced by env. */
    public static final String DATABASE_URL_KEY = "databaseUrl";
    public static final String CONFIG_DIR = "/config";
    public static final String PIPES_DIR = "/pipes";
    private static final String SECRET_DIR = "/secret";

    /** The payload parts, in the order they are unpacked; file name = key + ".json". */
    private static final List<String> CONFIG_KEYS = List.of("config", "catalog", "state", "destinationConfig");

    private TaskPodBuilder() {
    }

    public static TaskPod build(TaskRecord task, TaskPayload payload, WorkerSettings settings) {
        String podName = PodNames.pod(task);
        String secretName = PodNames.secret(podName);
        Map<String, String> files = configFiles(payload);
        ObjectMeta podMeta = meta(podName, task, settings);

        Secret secret = new SecretBuilder()
                .withMetadata(meta(secretName, task, settings))
                .withType("Opaque")
                .withImmutable(true)
                .withData(secretData(files, settings.common().sidecarDatabaseUrl()))
                .build();

        List<KeyToPath> items = files.keySet().stream()
                .map(k -> new KeyToPath(k, 0400, k + ".gz")).toList();
        Pod pod = new PodBuilder()
                .withMetadata(podMeta)
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withServiceAccountName(settings.serviceAccount())
                .withNodeSelector(settings.common().kubernetesNodeSelector().isEmpty()
                        ? null : new LinkedHashMap<>(settings.common().kubernetesNodeSelector()))
                .withTerminationGracePeriodSeconds((long) settings.gracePeriodSeconds())
                .withVolumes(
                        new VolumeBuilder().withName("pipes").withNewEmptyDir().endEmptyDir().build(),
                        // Unpacked credentials stay in memory, never on the node's disk.
                        new VolumeBuilder().withName("config").withNewEmptyDir().withMedium("Memory")
                                .withSizeLimit(new Quantity("64Mi")).endEmptyDir().build(),
                        new VolumeBuilder().withName("secret").withNewSecret().withSecretName(secretName)
                                .withItems(items).withDefaultMode(0400).endSecret().build())
                .withInitContainers(initContainer(files, settings))
                .withContainers(sourceContainer(task, settings), sidecarContainer(task, secretName, settings))
                .endSpec()
                .build();
        return new TaskPod(pod, secret);
    }

    /** {@code spec}, {@code check --config ...}: the Airbyte command line of the task type. */
    public static String connectorCommand(TaskType type) {
        String config = "--config " + CONFIG_DIR + "/config.json";
        return switch (type) {
            case SPEC -> "spec";
            case CHECK -> "check " + config;
            case DISCOVER -> "discover " + config;
            case READ -> "read " + config + " --catalog " + CONFIG_DIR + "/catalog.json --state " + CONFIG_DIR + "/state.json";
        };
    }

    private static Container initContainer(Map<String, String> files, WorkerSettings settings) {
        StringBuilder script = new StringBuilder("set -e; mkfifo " + PIPES_DIR + "/stdout " + PIPES_DIR + "/stderr");
        for (String key : files.keySet()) {
            script.append("; gunzip -c ").append(SECRET_DIR).append('/').append(key).append(".gz > ")
                    .append(CONFIG_DIR).append('/').append(key).append(".json");
        }
        return new ContainerBuilder()
                .withName(INIT)
                .withImage(settings.initImage())
                .withCommand("sh", "-c", script.toString())
                .withVolumeMounts(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, false),
                        mount("secret", SECRET_DIR, true))
                .withResources(resources(settings.initResources()))
                .build();
    }

    private static Container sourceContainer(TaskRecord task, WorkerSettings settings) {
        return new ContainerBuilder()
                .withName(SOURCE)
                .withImage(task.image())
                .withCommand("sh", "-c", "eval \"$AIRBYTE_ENTRYPOINT " + connectorCommand(task.type()) + "\" 2> "
                        + PIPES_DIR + "/stderr > " + PIPES_DIR + "/stdout")
                .withEnv(env("USE_STREAM_CAPABLE_STATE", "true"), env("AUTO_DETECT_SCHEMA", "true"))
                .withVolumeMounts(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, true))
                .withResources(resources(settings.sourceResources()))
                .build();
    }

    private static Container sidecarContainer(TaskRecord task, String secretName, WorkerSettings settings) {
        List<EnvVar> env = new ArrayList<>();
        sidecarSettings(task, settings).toEnv().forEach((k, v) -> env.add(env(k, v)));
        if (settings.logFormat() == LogFormat.JSON) {
            env.add(env(LogFormat.SETTING, LogFormat.JSON.value())); // the sidecar's own stderr lines
        }
        env.add(new EnvVarBuilder().withName(SidecarSettings.DATABASE_URL).withNewValueFrom().withNewSecretKeyRef()
                .withName(secretName).withKey(DATABASE_URL_KEY).endSecretKeyRef().endValueFrom().build());
        return new ContainerBuilder()
                .withName(SIDECAR)
                .withImage(settings.common().sidecarImage())
                .withEnv(env)
                .withVolumeMounts(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, true))
                .withResources(resources(settings.sidecarResources()))
                .build();
    }

    /**
     * What the sidecar of this task is told (CONTRACT section 3). {@code TASK_ID} is the client's
     * taskId for reads, else the internal id; {@code STARTED_AT} is the acceptance time. The database
     * URL is left out: it reaches the pod only through the Secret.
     */
    public static SidecarSettings sidecarSettings(TaskRecord task, WorkerSettings settings) {
        return new SidecarSettings(task.type(), Path.of(PIPES_DIR, "stdout"), Path.of(PIPES_DIR, "stderr"),
                Path.of(CONFIG_DIR), null, task.pkg(), task.version(), task.storageKey(), nullToEmpty(task.syncId()),
                task.taskId() != null ? task.taskId() : task.id().toString(),
                task.options().getOrDefault("tableNamePrefix", ""), task.options().get("startedBy"),
                task.acceptedAt() == null ? Instant.EPOCH : task.acceptedAt(),
                // SYNCCTL_SIDECAR_IDLE_TIMEOUT reaches the sidecar here: it reads no SYNCCTL_* variable itself.
                settings.common().sidecarIdleTimeout(), SidecarSettings.DEFAULT_HEARTBEAT,
                settings.common().internalSchema(),
                SidecarSettings.ReadOptions.fromQuery(task.options()));
    }

    private static ObjectMeta meta(String name, TaskRecord task, WorkerSettings settings) {
        Map<String, String> labels = new LinkedHashMap<>(TaskLabels.SELECTOR);
        labels.put(TaskLabels.TASK, task.id().toString());
        labels.put(TaskLabels.TASK_TYPE, task.type().command());
        if (task.syncId() != null) {
            labels.put(TaskLabels.SYNC_ID, TaskLabels.labelValue(task.syncId()));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(TaskLabels.ANNOTATION_PREFIX + "package", task.pkg());
        annotations.put(TaskLabels.ANNOTATION_PREFIX + "version", task.version());
        putIfPresent(annotations, "storage-key", task.storageKey());
        putIfPresent(annotations, "sync-id", task.syncId());
        putIfPresent(annotations, "task-id", task.taskId());
        return new ObjectMetaBuilder().withName(name).withNamespace(settings.common().kubernetesNamespace())
                .withLabels(labels).withAnnotations(annotations).build();
    }

    private static void putIfPresent(Map<String, String> annotations, String key, String value) {
        if (value != null) {
            annotations.put(TaskLabels.ANNOTATION_PREFIX + key, value);
        }
    }

    /** The payload parts that exist, in unpack order. */
    private static Map<String, String> configFiles(TaskPayload p) {
        Map<String, String> files = new LinkedHashMap<>();
        String[] parts = {p.configJson(), p.catalogJson(), p.stateJson(), p.destinationConfigJson()};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) {
                files.put(CONFIG_KEYS.get(i), parts[i]);
            }
        }
        return files;
    }

    private static Map<String, String> secretData(Map<String, String> files, String databaseUrl) {
        Map<String, String> data = new LinkedHashMap<>();
        // Keys as CONTRACT section 3 names them; the volume's items mount each as <key>.gz for the init container.
        files.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(gzip(v))));
        data.put(DATABASE_URL_KEY, Base64.getEncoder().encodeToString(databaseUrl.getBytes(StandardCharsets.UTF_8)));
        return data;
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static ResourceRequirements resources(WorkerSettings.Resources r) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        putQuantity(requests, "cpu", r.cpuRequest());
        putQuantity(requests, "memory", r.memoryRequest());
        putQuantity(limits, "cpu", r.cpuLimit());
        putQuantity(limits, "memory", r.memoryLimit());
        ResourceRequirements req = new ResourceRequirements();
        req.setRequests(requests);
        req.setLimits(limits);
        return req;
    }

    private static void putQuantity(Map<String, Quantity> map, String key, String value) {
        if (value != null) {
            map.put(key, new Quantity(value));
        }
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

}
