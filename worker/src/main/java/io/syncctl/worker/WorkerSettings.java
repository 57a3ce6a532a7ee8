package io.syncctl.worker;

import io.syncctl.shared.config.LogFormat;
import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.shared.config.Settings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worker's settings: the shared {@link Settings} plus the ones only the worker reads. Each new
 * one follows the {@code SYNCCTL_} prefix and is documented in worker/README.md.
 *
 * @param initImage          SYNCCTL_INIT_IMAGE: image of the pod's init container (needs {@code sh}, {@code mkfifo},
 *                           {@code gunzip}, {@code cat}); {@code name:tag} or pinned {@code name@sha256:<64 hex>}
 * @param serviceAccount     SYNCCTL_KUBERNETES_SERVICE_ACCOUNT: service account of task pods, or null for the namespace default
 * @param gracePeriodSeconds SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS: time the sidecar gets after SIGTERM to record CANCELLED
 * @param sourceResources    SYNCCTL_SOURCE_CPU_REQUEST, _MEMORY_REQUEST, _CPU_LIMIT, _MEMORY_LIMIT,
 *                           _EPHEMERAL_STORAGE_REQUEST, _EPHEMERAL_STORAGE_LIMIT
 * @param sidecarResources   SYNCCTL_SIDECAR_CPU_REQUEST, ... as above
 * @param launchGiveUp       SYNCCTL_LAUNCH_GIVE_UP: how long transient Kubernetes errors are retried before a task fails
 * @param room               how long a pod may wait for room in the cluster, how many may run at once, and when a
 *                           stopping pod counts as lost
 * @param logFormat          SYNCCTL_LOG_FORMAT, passed on to the sidecars
 * @param security           how the pod's containers run ({@link PodSecurity})
 */
public record WorkerSettings(Settings common, String initImage, String serviceAccount, int gracePeriodSeconds,
                             Resources sourceResources, Resources sidecarResources, Resources initResources,
                             Duration launchGiveUp, Room room, LogFormat logFormat, PodSecurity security) {

    /**
     * @param scheduleTimeout   SYNCCTL_SCHEDULE_TIMEOUT: how long a pod may wait unscheduled (the cluster full) before
     *                          its task ends SCHEDULE_TIMEOUT; the init timeout only starts once it is scheduled
     * @param maxRunningPods    SYNCCTL_MAX_RUNNING_PODS: task pods at once over all replicas; more tasks wait in
     *                          the queue; empty for no limit
     * @param terminatingMargin SYNCCTL_TERMINATING_MARGIN: a pod still Terminating this long after its grace period
     *                          ended is on a lost node: it is force-deleted and its task ends POD_DISAPPEARED
     */
    public record Room(Duration scheduleTimeout, java.util.OptionalInt maxRunningPods, Duration terminatingMargin) {
    }

    /** Requests and limits of one container, in Kubernetes quantity syntax; null = not set. */
    public record Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit,
                            String ephemeralStorageRequest, String ephemeralStorageLimit) {
        public Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
            this(cpuRequest, memoryRequest, cpuLimit, memoryLimit, null, null);
        }
    }

    /**
     * How the task pod's containers run. init and sidecar always run as {@code uid}:{@code gid}, non-root,
     * read-only root, no capability; {@code gid} is also the pod's {@code fsGroup}, which lets the
     * connector (any user) read its 0440 files and write its FIFOs.
     *
     * @param uid                  SYNCCTL_SIDECAR_UID: user of the init and sidecar containers (the sidecar image's, 10001)
     * @param gid                  SYNCCTL_SIDECAR_GID: their group and the pod's fsGroup (10001)
     * @param sourceRunAsNonRoot   SYNCCTL_SOURCE_RUN_AS_NON_ROOT: refuse connector images that run as root (false)
     * @param sourceReadOnlyRoot   SYNCCTL_SOURCE_READ_ONLY_ROOT_FILESYSTEM: the connector's root file system is
     *                             read-only; it gets a writable /tmp (false)
     */
    public record PodSecurity(long uid, long gid, boolean sourceRunAsNonRoot, boolean sourceReadOnlyRoot) {
        public static final long DEFAULT_ID = 10001;
    }

    public static final String DEFAULT_INIT_IMAGE = "busybox:1.36";
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /**
     * An image reference as Kubernetes takes it: {@code [registry[:port]/]path[:tag][@sha256:<64 hex>]}. A
     * digest, when present, must be complete: a truncated one would be refused only when a pod starts.
     */
    private static final Pattern IMAGE = Pattern.compile(
            "([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
                    + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?");

    /**
     * A warning when task pods would connect as the control plane's own database user: the connector runs
     * next to the sidecar, and that user can write JobRunr's jobs table the workers execute. Empty when
     * the sidecar has a user of its own (deploy/sql/sidecar-role.sql). Never quotes a URL.
     */
    public Optional<String> sidecarDatabaseWarning() {
        io.syncctl.shared.config.DatabaseUrl control = common.databaseUrl();
        io.syncctl.shared.config.DatabaseUrl sidecar = io.syncctl.shared.config.DatabaseUrl.parse(common.sidecarDatabaseUrl());
        boolean same = java.util.Objects.equals(control.user(), sidecar.user()) && control.host().equals(sidecar.host())
                && control.port() == sidecar.port() && control.database().equals(sidecar.database());
        return same ? Optional.of("task pods connect to the database as the control plane's user (SYNCCTL_SIDECAR_DATABASE_URL "
                + "is unset or names the same user as SYNCCTL_DATABASE_URL): a connector could reach our internal tables; "
                + "create the sidecar's own role with deploy/sql/sidecar-role.sql and set SYNCCTL_SIDECAR_DATABASE_URL")
                : Optional.empty();
    }

    /** Reads and checks everything; a bad value throws {@link InvalidSettingException} naming it. */
    public static WorkerSettings from(Map<String, String> env) {
        Settings common = Settings.from(env, Settings.Role.WORKER);
        return new WorkerSettings(common,
                get(env, "INIT_IMAGE").map(v -> check("INIT_IMAGE", v, IMAGE,
                        "must be an image reference such as busybox:1.36 or busybox@sha256:<64 hex digits>"))
                        .orElse(DEFAULT_INIT_IMAGE),
                get(env, "KUBERNETES_SERVICE_ACCOUNT").map(v -> check("KUBERNETES_SERVICE_ACCOUNT", v, DNS_SUBDOMAIN,
                        "must be a Kubernetes service account name")).orElse(null),
                get(env, "TERMINATION_GRACE_PERIOD_SECONDS").map(v -> nonNegative("TERMINATION_GRACE_PERIOD_SECONDS", v)).orElse(60),
                resources(env, "SOURCE", new Resources("100m", "256Mi", null, "2Gi")),
                resources(env, "SIDECAR", new Resources("100m", "128Mi", null, "512Mi")),
                new Resources("10m", "16Mi", null, "64Mi"),
                duration(env, "LAUNCH_GIVE_UP").orElse(Duration.ofMinutes(2)),
                new Room(duration(env, "SCHEDULE_TIMEOUT").orElse(Duration.ofMinutes(30)),
                        get(env, "MAX_RUNNING_PODS").map(v -> java.util.OptionalInt.of(positive("MAX_RUNNING_PODS", v)))
                                .orElse(java.util.OptionalInt.empty()),
                        duration(env, "TERMINATING_MARGIN").orElse(Duration.ofMinutes(2))),
                // checked by Settings already; passed on to the sidecars
                LogFormat.parse(env.get(LogFormat.SETTING)),
                new PodSecurity(id(env, "SIDECAR_UID"), id(env, "SIDECAR_GID"),
                        flag(env, "SOURCE_RUN_AS_NON_ROOT"), flag(env, "SOURCE_READ_ONLY_ROOT_FILESYSTEM")));
    }

    private static Optional<Duration> duration(Map<String, String> env, String name) {
        return get(env, name).map(v -> {
            try {
                return io.syncctl.shared.config.DurationSetting.parse(v);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(Settings.PREFIX + name, e.getMessage());
            }
        });
    }

    private static int positive(String name, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidSettingException(Settings.PREFIX + name, "must be a whole number, 1 or more");
    }

    private static long id(Map<String, String> env, String name) {
        return get(env, name).map(v -> {
            try {
                long id = Long.parseLong(v.trim());
                if (id > 0 && id <= Integer.MAX_VALUE) {
                    return id;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new InvalidSettingException(Settings.PREFIX + name, "must be a numeric id above 0 (not root)");
        }).orElse(PodSecurity.DEFAULT_ID);
    }

    private static boolean flag(Map<String, String> env, String name) {
        return get(env, name).map(v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(Settings.PREFIX + name, "must be true or false");
        }).orElse(false);
    }

    private static Resources resources(Map<String, String> env, String container, Resources fallback) {
        return new Resources(
                quantity(env, container + "_CPU_REQUEST").orElse(fallback.cpuRequest()),
                quantity(env, container + "_MEMORY_REQUEST").orElse(fallback.memoryRequest()),
                quantity(env, container + "_CPU_LIMIT").orElse(fallback.cpuLimit()),
                quantity(env, container + "_MEMORY_LIMIT").orElse(fallback.memoryLimit()),
                quantity(env, container + "_EPHEMERAL_STORAGE_REQUEST").orElse(fallback.ephemeralStorageRequest()),
                quantity(env, container + "_EPHEMERAL_STORAGE_LIMIT").orElse(fallback.ephemeralStorageLimit()));
    }

    private static Optional<String> quantity(Map<String, String> env, String name) {
        return get(env, name).map(v -> check(name, v, QUANTITY, "must be a Kubernetes quantity such as 500m, 1, 256Mi or 2Gi"));
    }

    private static int nonNegative(String name, String v) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidSettingException(Settings.PREFIX + name, "must be a whole number of seconds, 0 or more");
    }

    private static String check(String name, String v, Pattern p, String problem) {
        if (!p.matcher(v.trim()).matches()) {
            throw new InvalidSettingException(Settings.PREFIX + name, problem);
        }
        return v.trim();
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(Settings.PREFIX + name)).filter(v -> !v.isBlank());
    }
}
