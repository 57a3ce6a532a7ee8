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
 * @param initImage          SYNCCTL_INIT_IMAGE: image of the pod's init container (needs {@code sh}, {@code mkfifo}, {@code gunzip})
 * @param serviceAccount     SYNCCTL_KUBERNETES_SERVICE_ACCOUNT: service account of task pods, or null for the namespace default
 * @param gracePeriodSeconds SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS: time the sidecar gets after SIGTERM to record CANCELLED
 * @param sourceResources    SYNCCTL_SOURCE_CPU_REQUEST, _MEMORY_REQUEST, _CPU_LIMIT, _MEMORY_LIMIT
 * @param sidecarResources   SYNCCTL_SIDECAR_CPU_REQUEST, ... as above
 * @param launchGiveUp       SYNCCTL_LAUNCH_GIVE_UP: how long transient Kubernetes errors are retried before a task fails
 * @param room               how long a pod may wait for room in the cluster, how many may run at once, and when a
 *                           stopping pod counts as lost
 */
public record WorkerSettings(Settings common, String initImage, String serviceAccount, int gracePeriodSeconds,
                             Resources sourceResources, Resources sidecarResources, Resources initResources,
                             Duration launchGiveUp, Room room, LogFormat logFormat) {

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

    /** Requests and limits of one container, in Kubernetes quantity syntax. */
    public record Resources(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {
    }

    public static final String DEFAULT_INIT_IMAGE = "busybox:1.36";
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /** Reads and checks everything; a bad value throws {@link InvalidSettingException} naming it. */
    public static WorkerSettings from(Map<String, String> env) {
        Settings common = Settings.from(env, Settings.Role.WORKER);
        return new WorkerSettings(common,
                get(env, "INIT_IMAGE").orElse(DEFAULT_INIT_IMAGE),
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
                LogFormat.parse(env.get(LogFormat.SETTING)));
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

    private static Resources resources(Map<String, String> env, String container, Resources fallback) {
        return new Resources(
                quantity(env, container + "_CPU_REQUEST").orElse(fallback.cpuRequest()),
                quantity(env, container + "_MEMORY_REQUEST").orElse(fallback.memoryRequest()),
                quantity(env, container + "_CPU_LIMIT").orElse(fallback.cpuLimit()),
                quantity(env, container + "_MEMORY_LIMIT").orElse(fallback.memoryLimit()));
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
