package io.syncctl.worker.launch;

import io.syncctl.shared.config.LogFormat;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.syncctl.shared.payload.PodSecretSize;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the Secret and Pod of a task (CONTRACT section 3) as plain data, so every detail is tested
 * without a server. Pure: the same task, payload and settings give the same objects.
 *
 * <p>Secrets only travel inside the Secret, as gzip-compressed keys that the init container unpacks
 * into memory-backed volumes: the connector's {@code config.json}, {@code catalog.json} and
 * {@code state.json} to {@code /config}, the only files the connector (third-party code) can see; the
 * destination configuration and the sidecar's database URL to {@code /credentials}, which only the
 * sidecar mounts (mode 0400, its own user). The pod spec itself holds no credential.
 *
 * <p>init and sidecar run as {@code SYNCCTL_SIDECAR_UID}:{@code SYNCCTL_SIDECAR_GID}, non-root, on a
 * read-only root file system, without capabilities or privilege escalation, under the runtime's
 * default seccomp profile; the connector the same except user and root file system, which settings
 * can require. The pod's {@code fsGroup} is that group, so a connector of any user can read its 0440
 * files and write its 0660 FIFOs.
 */
public final class TaskPodBuilder {
    /** The sidecar's START_TIMEOUT is the init timeout plus this: the worker's INIT_TIMEOUT comes first. */
    static final java.time.Duration START_TIMEOUT_MARGIN = java.time.Duration.ofSeconds(30);

    public static final String SOURCE = "source";
    public static final String SIDECAR = "sidecar";
    public static final String INIT = "init";
    /** The Secret key of the sidecar's database URL; unpacked to {@link #CREDENTIALS_DIR} only. */
    public static final String DATABASE_URL_KEY = "databaseUrl";
    public static final String CONFIG_DIR = "/config";
    /** The sidecar's own files: destinationConfig.json and the database URL. Never mounted by the connector. */
    public static final String CREDENTIALS_DIR = "/credentials";
    public static final String PIPES_DIR = "/pipes";
    private static final String SECRET_DIR = "/secret";
    private static final String TMP_DIR = "/tmp";

    /** The connector's payload parts, unpacked to {@link #CONFIG_DIR}; file name = key + ".json". */
    private static final List<String> CONNECTOR_KEYS = List.of("config", "catalog", "state");
    /** The sidecar's payload part, unpacked to {@link #CREDENTIALS_DIR}. */
    private static final String DESTINATION_KEY = "destinationConfig";
    /** FIFOs hold no data on disk; the limit only stops anything else being written there. */
    static final String PIPES_SIZE = "1Mi";
    /** The Secret holds at most 1 MiB compressed; the unpacked JSON stays in memory. */
    static final String CONFIG_SIZE = "64Mi";
    static final String CREDENTIALS_SIZE = "16Mi";
    static final String TMP_SIZE = "64Mi";

    private TaskPodBuilder() {
    }

    public static TaskPod build(TaskRecord task, TaskPayload payload, WorkerSettings settings) {
        String podName = PodNames.pod(task);
        String secretName = PodNames.secret(podName);
        Map<String, String> files = payloadParts(payload);
        ObjectMeta podMeta = meta(podName, task, settings);
        WorkerSettings.PodSecurity security = settings.security();

        Secret secret = new SecretBuilder()
                .withMetadata(meta(secretName, task, settings))
                .withType("Opaque")
                .withImmutable(true)
                .withData(secretData(files, settings.common().sidecarDatabaseUrl()))
                .build();

        List<KeyToPath> items = new ArrayList<>(files.keySet().stream()
                .map(k -> new KeyToPath(k, null, k + ".gz")).toList());
        items.add(new KeyToPath(DATABASE_URL_KEY, null, DATABASE_URL_KEY));
        List<Volume> volumes = new ArrayList<>(List.of(
                emptyDir("pipes", null, PIPES_SIZE),
                // Unpacked credentials stay in memory, never on the node's disk.
                emptyDir("config", "Memory", CONFIG_SIZE),
                emptyDir("credentials", "Memory", CREDENTIALS_SIZE),
                // 0440 (0400 + the group read Kubernetes adds for fsGroup): the init container reads it as the fsGroup.
                new VolumeBuilder().withName("secret").withNewSecret().withSecretName(secretName)
                        .withItems(items).withDefaultMode(0440).endSecret().build(),
                // The JVM and drivers may want a scratch directory; the root file system is read-only.
                emptyDir("sidecar-tmp", null, TMP_SIZE)));
        if (security.sourceReadOnlyRoot()) {
            volumes.add(emptyDir("source-tmp", null, TMP_SIZE));
        }
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
                .withNewSecurityContext()
                .withFsGroup(security.gid())
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withVolumes(volumes)
                .withInitContainers(initContainer(files.keySet(), settings))
                .withContainers(sourceContainer(task, settings), sidecarContainer(task, settings))
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

    /**
     * The source container's script. Opening a FIFO for writing blocks until the sidecar opens it for
     * reading: a sidecar that died first would leave the connector blocked forever. A watchdog gives up
     * after {@code waitSeconds} (the init timeout): it leaves a mark, says why in the container's log and
     * opens the pipes itself, in the shell's order, so the shell's opens return; the shell sees the mark
     * and exits 3 instead of running the connector. Once the pipes are open the watchdog is stopped (with
     * its {@code sleep}). No signal to the shell (PID 1 of its container ignores them) and no {@code $$}
     * (Kubernetes turns {@code $$} in a command into {@code $}).
     */
    public static String sourceScript(TaskType type, int waitSeconds) {
        String mark = PIPES_DIR + "/gave-up";
        return "( trap 'kill $! 2>/dev/null; exit 0' TERM; sleep " + waitSeconds + " & wait $!; : > " + mark + "; "
                + "echo \"syncctl: the sidecar did not open the connector's pipes within " + waitSeconds
                + " s (it exited or never started); giving up\" >&2; exec 4< " + PIPES_DIR + "/stderr 3< " + PIPES_DIR + "/stdout ) & "
                + "exec 2> " + PIPES_DIR + "/stderr > " + PIPES_DIR + "/stdout; kill $! 2>/dev/null; "
                + "[ -e " + mark + " ] && exit 3; "
                + "eval \"$AIRBYTE_ENTRYPOINT " + connectorCommand(type) + "\"";
    }

    /**
     * The init container's script: FIFOs 0660, the connector's files 0440 (readable through the fsGroup),
     * the sidecar's 0400 (its own user only). {@code parts}: the payload parts present.
     */
    static String initScript(java.util.Collection<String> parts) {
        StringBuilder script = new StringBuilder("set -e; umask 0337; mkfifo -m 0660 " + PIPES_DIR + "/stdout " + PIPES_DIR + "/stderr");
        for (String key : CONNECTOR_KEYS) {
            if (parts.contains(key)) {
                script.append("; gunzip -c ").append(SECRET_DIR).append('/').append(key).append(".gz > ")
                        .append(CONFIG_DIR).append('/').append(key).append(".json");
            }
        }
        script.append("; umask 0377");
        if (parts.contains(DESTINATION_KEY)) {
            script.append("; gunzip -c ").append(SECRET_DIR).append('/').append(DESTINATION_KEY).append(".gz > ")
                    .append(CREDENTIALS_DIR).append('/').append(DESTINATION_KEY).append(".json");
        }
        script.append("; cat ").append(SECRET_DIR).append('/').append(DATABASE_URL_KEY).append(" > ")
                .append(CREDENTIALS_DIR).append('/').append(DATABASE_URL_KEY);
        return script.toString();
    }

    private static Container initContainer(java.util.Collection<String> parts, WorkerSettings settings) {
        return new ContainerBuilder()
                .withName(INIT)
                .withImage(settings.initImage())
                .withCommand("sh", "-c", initScript(parts))
                .withVolumeMounts(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, false),
                        mount("credentials", CREDENTIALS_DIR, false), mount("secret", SECRET_DIR, true))
                .withResources(resources(settings.initResources()))
                .withSecurityContext(ownContainer(settings.security()))
                .build();
    }

    private static Container sourceContainer(TaskRecord task, WorkerSettings settings) {
        WorkerSettings.PodSecurity security = settings.security();
        List<VolumeMount> mounts = new ArrayList<>(List.of(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, true)));
        if (security.sourceReadOnlyRoot()) {
            mounts.add(mount("source-tmp", TMP_DIR, false));
        }
        return new ContainerBuilder()
                .withName(SOURCE)
                .withImage(task.image())
                .withCommand("sh", "-c", sourceScript(task.type(), settings.common().containerInitTimeoutSeconds()))
                .withEnv(env("USE_STREAM_CAPABLE_STATE", "true"), env("AUTO_DETECT_SCHEMA", "true"))
                .withVolumeMounts(mounts)
                .withResources(resources(settings.sourceResources()))
                .withSecurityContext(new SecurityContextBuilder()
                        // the image's own user unless required otherwise: many connectors run as root
                        .withRunAsNonRoot(security.sourceRunAsNonRoot() ? true : null)
                        .withReadOnlyRootFilesystem(security.sourceReadOnlyRoot())
                        .withAllowPrivilegeEscalation(false)
                        .withNewCapabilities().withDrop("ALL").endCapabilities()
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .build())
                .build();
    }

    private static Container sidecarContainer(TaskRecord task, WorkerSettings settings) {
        List<EnvVar> env = new ArrayList<>();
        sidecarSettings(task, settings).toEnv().forEach((k, v) -> env.add(env(k, v)));
        if (settings.logFormat() == LogFormat.JSON) {
            env.add(env(LogFormat.SETTING, LogFormat.JSON.value())); // the sidecar's own stderr lines
        }
        env.add(env(SidecarSettings.DATABASE_URL_FILE, CREDENTIALS_DIR + "/" + DATABASE_URL_KEY));
        return new ContainerBuilder()
                .withName(SIDECAR)
                .withImage(settings.common().sidecarImage())
                .withEnv(env)
                .withVolumeMounts(mount("pipes", PIPES_DIR, false), mount("config", CONFIG_DIR, true),
                        mount("credentials", CREDENTIALS_DIR, true), mount("sidecar-tmp", TMP_DIR, false))
                .withResources(resources(settings.sidecarResources()))
                .withSecurityContext(ownContainer(settings.security()))
                .build();
    }

    /** init and sidecar: our images, as locked down as a container gets. */
    private static SecurityContext ownContainer(WorkerSettings.PodSecurity security) {
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(security.uid())
                .withRunAsGroup(security.gid())
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    private static Volume emptyDir(String name, String medium, String sizeLimit) {
        return new VolumeBuilder().withName(name).withNewEmptyDir().withMedium(medium)
                .withSizeLimit(new Quantity(sizeLimit)).endEmptyDir().build();
    }

    /**
     * What the sidecar of this task is told (CONTRACT section 3). {@code TASK_ID} is the client's
     * taskId for reads, else the internal id; {@code STARTED_AT} is the acceptance time. The database
     * URL is left out: it reaches the pod only through the Secret (a file in {@link #CREDENTIALS_DIR}).
     */
    public static SidecarSettings sidecarSettings(TaskRecord task, WorkerSettings settings) {
        return new SidecarSettings(task.type(), Path.of(PIPES_DIR, "stdout"), Path.of(PIPES_DIR, "stderr"),
                Path.of(CONFIG_DIR), Path.of(CREDENTIALS_DIR), null, task.pkg(), task.version(), task.storageKey(), nullToEmpty(task.syncId()),
                task.taskId() != null ? task.taskId() : task.id().toString(),
                task.options().getOrDefault("tableNamePrefix", ""), task.options().get("startedBy"),
                task.acceptedAt() == null ? Instant.EPOCH : task.acceptedAt(),
                // SYNCCTL_SIDECAR_IDLE_TIMEOUT reaches the sidecar here: it reads no SYNCCTL_* variable itself.
                settings.common().sidecarIdleTimeout(),
                // a connector that has not opened its pipes when the pod should have started never will; the
                // margin lets the worker, which knows why (an image that cannot be pulled), end the task first
                java.time.Duration.ofSeconds(settings.common().containerInitTimeoutSeconds()).plus(START_TIMEOUT_MARGIN),
                SidecarSettings.DEFAULT_HEARTBEAT,
                settings.common().internalSchema(),
                SidecarSettings.ReadOptions.fromQuery(task.options()),
                // SYNCCTL_SIDECAR_MAX_LINE_BYTES and SYNCCTL_TASK_LOG_MAX_LINES
                settings.common().sidecarLimits());
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

    /** The payload parts that exist, keyed as CONTRACT section 3 names them. */
    private static Map<String, String> payloadParts(TaskPayload p) {
        Map<String, String> files = new LinkedHashMap<>();
        String[] parts = {p.configJson(), p.catalogJson(), p.stateJson(), p.destinationConfigJson()};
        List<String> keys = List.of(CONNECTOR_KEYS.get(0), CONNECTOR_KEYS.get(1), CONNECTOR_KEYS.get(2), DESTINATION_KEY);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) {
                files.put(keys.get(i), parts[i]);
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

    /** As the api sized it (PodSecretSize): what it accepted fits the Secret. */
    static byte[] gzip(String s) {
        return PodSecretSize.gzip(s);
    }

    private static ResourceRequirements resources(WorkerSettings.Resources r) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        putQuantity(requests, "cpu", r.cpuRequest());
        putQuantity(requests, "memory", r.memoryRequest());
        putQuantity(limits, "cpu", r.cpuLimit());
        putQuantity(limits, "memory", r.memoryLimit());
        putQuantity(requests, "ephemeral-storage", r.ephemeralStorageRequest());
        putQuantity(limits, "ephemeral-storage", r.ephemeralStorageLimit());
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
