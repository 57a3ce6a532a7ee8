package io.syncctl.sidecar;

import io.syncctl.shared.config.DatabaseUrl;
import io.syncctl.shared.config.DurationSetting;
import io.syncctl.shared.config.InvalidSettingException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The sidecar's whole configuration: the environment of CONTRACT section 3. Every path comes from here,
 * so the sidecar runs outside a pod exactly as inside one.
 *
 * @param idleTimeout no line on either pipe for this long fails the task ({@code IDLE_TIMEOUT}, default 1h)
 * @param heartbeat   how often a running read refreshes {@code source_task.updated_at} ({@code HEARTBEAT_INTERVAL}, default 20s)
 * @param options     the read options ({@code NAMESPACE}, {@code TO_SAME_CASE}, ...)
 */
public record SidecarEnv(Command command, Path stdoutPipe, Path stderrPipe, Path configDir, DatabaseUrl database,
                         String pkg, String version, String storageKey, String syncId, String taskId,
                         String tableNamePrefix, String startedByJson, Instant startedAt, Duration idleTimeout,
                         Duration heartbeat, ReadOptions options) {

    /**
     * Options of a read, as the {@code /read} query parameters of the same names.
     *
     * @param namespace   destination schema (postgres) or namespace (bulker) overriding the configured default
     * @param toSameCase  lower-case table and column names
     * @param addMeta     add a {@code _syncctl_synced_at} column with the time a chunk was loaded
     * @param deduplicate merge on primary key when appending (default true); false appends duplicates
     * @param fullSync    ignore the incoming state: every stream replaces its table
     * @param debug       also write the sidecar's DEBUG lines (checkpoints, chunks) to task_log
     */
    public record ReadOptions(String namespace, boolean toSameCase, boolean addMeta, boolean deduplicate,
                              boolean fullSync, boolean debug) {
    }

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    /** Well inside CONTRACT's "at least once a minute", and the brief's 30 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(20);

    public static SidecarEnv from(Map<String, String> env) {
        Function<String, String> get = k -> {
            String v = env.get(k);
            return v == null || v.isBlank() ? null : v.trim();
        };
        Command command = setting(get, "COMMAND", true, Command::parse);
        boolean needsTask = command == Command.READ;
        boolean needsKey = command == Command.CHECK || command == Command.DISCOVER;
        String syncId = setting(get, "SYNC_ID", needsTask, v -> v);
        String taskId = setting(get, "TASK_ID", needsTask, v -> v);
        return new SidecarEnv(command,
                setting(get, "STDOUT_PIPE_FILE", true, Path::of),
                setting(get, "STDERR_PIPE_FILE", true, Path::of),
                orElse(setting(get, "CONFIG_DIR", false, Path::of), Path.of("/config")),
                setting(get, "DATABASE_URL", true, DatabaseUrl::parse),
                setting(get, "PACKAGE", true, v -> v),
                setting(get, "PACKAGE_VERSION", true, v -> v),
                setting(get, "STORAGE_KEY", needsKey, v -> v),
                orElse(syncId, ""), orElse(taskId, ""),
                orElse(env.get("TABLE_NAME_PREFIX"), ""),
                get.apply("STARTED_BY"),
                orElse(setting(get, "STARTED_AT", false, SidecarEnv::instant), Instant.now()),
                orElse(setting(get, "IDLE_TIMEOUT", false, DurationSetting::parse), DEFAULT_IDLE_TIMEOUT),
                orElse(setting(get, "HEARTBEAT_INTERVAL", false, DurationSetting::parse), DEFAULT_HEARTBEAT),
                new ReadOptions(get.apply("NAMESPACE"),
                        flag(get, "TO_SAME_CASE", false), flag(get, "ADD_META", false), flag(get, "DEDUPLICATE", true),
                        flag(get, "FULL_SYNC", false), flag(get, "DEBUG", false)));
    }

    /**
     * For a check, the worker passes the task's internal id as {@code TASK_ID}: it lets a late result of
     * a check that a newer one superseded stay unwritten. Null when it is not such an id (run by hand).
     */
    public UUID checkTaskId() {
        try {
            return taskId.isEmpty() ? null : UUID.fromString(taskId);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** The logger name of connector lines in task_log. */
    public String connectorLogger() {
        return pkg;
    }

    private static Instant instant(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an RFC 3339 time such as 2024-05-01T12:00:00Z");
        }
    }

    private static boolean flag(Function<String, String> get, String name, boolean dflt) {
        Boolean b = setting(get, name, false, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        });
        return b == null ? dflt : b;
    }

    private static <T> T setting(Function<String, String> get, String name, boolean required, Function<String, T> parse) {
        String v = get.apply(name);
        if (v == null) {
            if (required) {
                throw new InvalidSettingException(name, "is required");
            }
            return null;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(name, e.getMessage());
        }
    }

    private static <T> T orElse(T v, T dflt) {
        return v == null ? dflt : v;
    }
}
