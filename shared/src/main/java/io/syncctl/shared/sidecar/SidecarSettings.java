package io.syncctl.shared.sidecar;

import io.syncctl.shared.config.DatabaseUrl;
import io.syncctl.shared.config.DurationSetting;
import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.shared.results.TaskRef;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The pod–sidecar contract: everything the sidecar is told, as the environment of CONTRACT section 3.
 * The worker writes it with {@link #toEnv()} into the pod's {@code sidecar} container; the sidecar
 * reads it back with {@link #from(Map)}. One definition, so a renamed variable fails a unit test
 * instead of an end-to-end run. The names are public: the {@code jitsucom/sidecar} image reads the
 * same ones.
 *
 * <p>{@code DATABASE_URL} is the one variable {@link #toEnv()} never writes: it holds a password, so
 * the worker passes it as a file ({@code DATABASE_URL_FILE}) on a volume only the sidecar mounts,
 * never as a literal value. {@code DATABASE_URL} itself is still read, for a sidecar run by hand.
 *
 * @param command         {@code COMMAND}: spec, check, discover or read
 * @param stdoutPipe      {@code STDOUT_PIPE_FILE}: the connector's stdout (a FIFO, or a plain file)
 * @param stderrPipe      {@code STDERR_PIPE_FILE}: the connector's stderr
 * @param configDir       {@code CONFIG_DIR} (default {@code /config}): config.json, catalog.json, state.json (the connector's files)
 * @param destinationConfigDir {@code DESTINATION_CONFIG_DIR} (default: {@code CONFIG_DIR}): destinationConfig.json, on a
 *                        volume the connector does not mount
 * @param database        {@code DATABASE_URL}, else the content of the file {@code DATABASE_URL_FILE}: the result
 *                        database; null where the settings are written for a pod
 * @param pkg             {@code PACKAGE}: the connector image
 * @param version         {@code PACKAGE_VERSION}: its tag
 * @param storageKey      {@code STORAGE_KEY}: check/discover result row; null when absent
 * @param syncId          {@code SYNC_ID}: read; "" when absent
 * @param taskId          {@code TASK_ID}: the client's taskId of a read, else the internal task id; "" when absent
 * @param tableNamePrefix {@code TABLE_NAME_PREFIX}: "" when absent (kept as given, spaces included, like the keys)
 * @param startedByJson   {@code STARTED_BY}: JSON (or text) for {@code source_task.started_by}; null when absent
 * @param startedAt       {@code STARTED_AT}: RFC 3339 time the task was accepted (default: now)
 * @param idleTimeout     {@code IDLE_TIMEOUT}: no line on either pipe for this long fails the task (default 1h)
 * @param startTimeout    {@code START_TIMEOUT}: the connector has not opened its pipes after this long: it never
 *                        started, the task fails (default 180s, the worker's init timeout)
 * @param heartbeat       {@code HEARTBEAT_INTERVAL}: how often a running read refreshes {@code source_task.updated_at} and the progress description (default 10s: the console expects progress at least every 15 s)
 * @param internalSchema  {@code INTERNAL_SCHEMA}: the schema of syncctl's own tables, e.g. {@code syncctl_task} (default {@code syncctl})
 * @param options         the read options ({@code NAMESPACE}, {@code TO_SAME_CASE}, ...)
 * @param limits          {@code MAX_LINE_BYTES}, {@code TASK_LOG_MAX_LINES}: the sidecar's memory and task_log bounds
 */
public record SidecarSettings(TaskType command, Path stdoutPipe, Path stderrPipe, Path configDir, Path destinationConfigDir,
                              DatabaseUrl database, String pkg, String version, String storageKey, String syncId,
                              String taskId, String tableNamePrefix, String startedByJson, Instant startedAt,
                              Duration idleTimeout, Duration startTimeout, Duration heartbeat, String internalSchema,
                              ReadOptions options, Limits limits) {

    /** With the default {@link Limits}. */
    public SidecarSettings(TaskType command, Path stdoutPipe, Path stderrPipe, Path configDir, Path destinationConfigDir,
                           DatabaseUrl database, String pkg, String version, String storageKey, String syncId,
                           String taskId, String tableNamePrefix, String startedByJson, Instant startedAt,
                           Duration idleTimeout, Duration startTimeout, Duration heartbeat, String internalSchema,
                           ReadOptions options) {
        this(command, stdoutPipe, stderrPipe, configDir, destinationConfigDir, database, pkg, version, storageKey, syncId,
                taskId, tableNamePrefix, startedByJson, startedAt, idleTimeout, startTimeout, heartbeat, internalSchema,
                options, Limits.DEFAULTS);
    }

    /**
     * Bounds on what a connector can make the sidecar hold or write.
     *
     * @param maxLineBytes    {@code MAX_LINE_BYTES}: a longer line on either pipe fails the task (default 64 MiB)
     * @param taskLogMaxLines {@code TASK_LOG_MAX_LINES}: task_log keeps this many lines of the task, then one saying how many were dropped (default 100,000)
     */
    public record Limits(int maxLineBytes, long taskLogMaxLines) {
        public static final Limits DEFAULTS = new Limits(64 << 20, 100_000);
        /** Arrays cannot be larger; the line buffer is one. */
        public static final int MAX_LINE_BYTES_CAP = Integer.MAX_VALUE - 16;

        public Limits {
            if (maxLineBytes <= 0 || maxLineBytes > MAX_LINE_BYTES_CAP) {
                throw new IllegalArgumentException("maxLineBytes must be between 1 and " + MAX_LINE_BYTES_CAP);
            }
            if (taskLogMaxLines <= 0) {
                throw new IllegalArgumentException("taskLogMaxLines must be positive");
            }
        }

        /** Parses a positive byte count for {@code MAX_LINE_BYTES} (also {@code SYNCCTL_SIDECAR_MAX_LINE_BYTES}). */
        public static int lineBytes(String v) {
            long n = positive(v);
            if (n > MAX_LINE_BYTES_CAP) {
                throw new IllegalArgumentException("must be at most " + MAX_LINE_BYTES_CAP + " (2 GiB)");
            }
            return (int) n;
        }

        public static long positive(String v) {
            long n;
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a positive number");
            }
            if (n <= 0) {
                throw new IllegalArgumentException("must be a positive number");
            }
            return n;
        }
    }

    public static final String COMMAND = "COMMAND";
    public static final String STDOUT_PIPE_FILE = "STDOUT_PIPE_FILE";
    public static final String STDERR_PIPE_FILE = "STDERR_PIPE_FILE";
    public static final String CONFIG_DIR = "CONFIG_DIR";
    public static final String DESTINATION_CONFIG_DIR = "DESTINATION_CONFIG_DIR";
    /** Never in {@link #toEnv()}: the worker passes {@link #DATABASE_URL_FILE} instead. */
    public static final String DATABASE_URL = "DATABASE_URL";
    /** A file holding the database URL (read when {@link #DATABASE_URL} is unset). */
    public static final String DATABASE_URL_FILE = "DATABASE_URL_FILE";
    public static final String PACKAGE = "PACKAGE";
    public static final String PACKAGE_VERSION = "PACKAGE_VERSION";
    public static final String STORAGE_KEY = "STORAGE_KEY";
    public static final String SYNC_ID = "SYNC_ID";
    public static final String TASK_ID = "TASK_ID";
    public static final String TABLE_NAME_PREFIX = "TABLE_NAME_PREFIX";
    public static final String STARTED_BY = "STARTED_BY";
    public static final String STARTED_AT = "STARTED_AT";
    public static final String IDLE_TIMEOUT = "IDLE_TIMEOUT";
    public static final String START_TIMEOUT = "START_TIMEOUT";
    public static final String HEARTBEAT_INTERVAL = "HEARTBEAT_INTERVAL";
    public static final String INTERNAL_SCHEMA = "INTERNAL_SCHEMA";
    public static final String NAMESPACE = "NAMESPACE";
    public static final String TO_SAME_CASE = "TO_SAME_CASE";
    public static final String ADD_META = "ADD_META";
    public static final String DEDUPLICATE = "DEDUPLICATE";
    public static final String FULL_SYNC = "FULL_SYNC";
    public static final String DEBUG = "DEBUG";
    public static final String MAX_LINE_BYTES = "MAX_LINE_BYTES";
    public static final String TASK_LOG_MAX_LINES = "TASK_LOG_MAX_LINES";

    public static final Path DEFAULT_CONFIG_DIR = Path.of("/config");
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    /** As SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS' default. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
    /** Well inside CONTRACT's "at least once a minute", and the brief's 30 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final String DEFAULT_INTERNAL_SCHEMA = "syncctl";

    /**
     * Options of a read, as the {@code /read} query parameters of the same names.
     *
     * @param namespace   destination schema (postgres) or namespace (bulker) overriding the configured default; null when absent
     * @param toSameCase  lower-case table and column names
     * @param addMeta     add a {@code _syncctl_synced_at} column with the time a chunk was loaded
     * @param deduplicate merge on primary key when appending (default true); false appends duplicates
     * @param fullSync    ignore the incoming state: every stream replaces its table
     * @param debug       also write the sidecar's DEBUG lines (checkpoints, chunks) to task_log
     */
    public record ReadOptions(String namespace, boolean toSameCase, boolean addMeta, boolean deduplicate,
                              boolean fullSync, boolean debug) {
        public static final ReadOptions DEFAULTS = new ReadOptions(null, false, false, true, false, false);

        /**
         * From the {@code /read} query parameters as the api stored them ({@code namespace},
         * {@code toSameCase}, {@code addMeta}, {@code deduplicate}, {@code fullSync}, {@code debug});
         * absent ones take their defaults, other keys are ignored.
         */
        public static ReadOptions fromQuery(Map<String, String> query) {
            Function<String, String> get = k -> blankToNull(query.get(k));
            return new ReadOptions(get.apply("namespace"),
                    flag(get, "toSameCase", DEFAULTS.toSameCase), flag(get, "addMeta", DEFAULTS.addMeta),
                    flag(get, "deduplicate", DEFAULTS.deduplicate), flag(get, "fullSync", DEFAULTS.fullSync),
                    flag(get, "debug", DEFAULTS.debug));
        }
    }

    /** Reads the sidecar's environment; a missing or malformed variable throws {@link InvalidSettingException} naming it (never its value). */
    public static SidecarSettings from(Map<String, String> env) {
        Function<String, String> get = k -> blankToNull(env.get(k));
        // The client's keys are taken exactly as given (any printable text, spaces included): the
        // console polls for the very same string.
        Function<String, String> verbatim = k -> emptyToNull(env.get(k));
        TaskType command = setting(get, COMMAND, true, SidecarSettings::command);
        boolean needsTask = command == TaskType.READ;
        boolean needsKey = command == TaskType.CHECK || command == TaskType.DISCOVER;
        String syncId = setting(verbatim, SYNC_ID, needsTask, v -> v);
        String taskId = setting(verbatim, TASK_ID, needsTask, v -> v);
        Path configDir = orElse(setting(get, CONFIG_DIR, false, Path::of), DEFAULT_CONFIG_DIR);
        return new SidecarSettings(command,
                setting(get, STDOUT_PIPE_FILE, true, Path::of),
                setting(get, STDERR_PIPE_FILE, true, Path::of),
                configDir,
                orElse(setting(get, DESTINATION_CONFIG_DIR, false, Path::of), configDir),
                database(get),
                setting(get, PACKAGE, true, v -> v),
                setting(get, PACKAGE_VERSION, true, v -> v),
                setting(verbatim, STORAGE_KEY, needsKey, v -> v),
                orElse(syncId, ""), orElse(taskId, ""),
                orElse(env.get(TABLE_NAME_PREFIX), ""),
                verbatim.apply(STARTED_BY),
                orElse(setting(get, STARTED_AT, false, SidecarSettings::instant), Instant.now()),
                orElse(setting(get, IDLE_TIMEOUT, false, DurationSetting::parse), DEFAULT_IDLE_TIMEOUT),
                orElse(setting(get, START_TIMEOUT, false, DurationSetting::parse), DEFAULT_START_TIMEOUT),
                orElse(setting(get, HEARTBEAT_INTERVAL, false, DurationSetting::parse), DEFAULT_HEARTBEAT),
                orElse(get.apply(INTERNAL_SCHEMA), DEFAULT_INTERNAL_SCHEMA),
                new ReadOptions(get.apply(NAMESPACE),
                        flag(get, TO_SAME_CASE, false), flag(get, ADD_META, false), flag(get, DEDUPLICATE, true),
                        flag(get, FULL_SYNC, false), flag(get, DEBUG, false)),
                new Limits(orElse(setting(get, MAX_LINE_BYTES, false, Limits::lineBytes), Limits.DEFAULTS.maxLineBytes()),
                        orElse(setting(get, TASK_LOG_MAX_LINES, false, Limits::positive), Limits.DEFAULTS.taskLogMaxLines())));
    }

    /**
     * The environment that {@link #from} reads back to these settings, in CONTRACT order, without
     * {@code DATABASE_URL}. The read options are written for reads only; absent values are "".
     */
    public Map<String, String> toEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(STDOUT_PIPE_FILE, stdoutPipe.toString());
        env.put(STDERR_PIPE_FILE, stderrPipe.toString());
        env.put(COMMAND, command.command());
        env.put(PACKAGE, pkg);
        env.put(PACKAGE_VERSION, version);
        env.put(STORAGE_KEY, nullToEmpty(storageKey));
        env.put(SYNC_ID, nullToEmpty(syncId));
        env.put(TASK_ID, nullToEmpty(taskId));
        env.put(TABLE_NAME_PREFIX, nullToEmpty(tableNamePrefix));
        env.put(STARTED_BY, nullToEmpty(startedByJson));
        env.put(STARTED_AT, DateTimeFormatter.ISO_INSTANT.format(startedAt));
        env.put(CONFIG_DIR, configDir.toString());
        env.put(DESTINATION_CONFIG_DIR, destinationConfigDir.toString());
        env.put(IDLE_TIMEOUT, idleTimeout.toMillis() + "ms");
        env.put(START_TIMEOUT, startTimeout.toMillis() + "ms");
        env.put(HEARTBEAT_INTERVAL, heartbeat.toMillis() + "ms");
        env.put(INTERNAL_SCHEMA, internalSchema);
        // only when changed, so pods of a default setup keep the environment they had
        if (limits.maxLineBytes() != Limits.DEFAULTS.maxLineBytes()) {
            env.put(MAX_LINE_BYTES, Integer.toString(limits.maxLineBytes()));
        }
        if (limits.taskLogMaxLines() != Limits.DEFAULTS.taskLogMaxLines()) {
            env.put(TASK_LOG_MAX_LINES, Long.toString(limits.taskLogMaxLines()));
        }
        if (command == TaskType.READ) {
            if (options.namespace() != null) {
                env.put(NAMESPACE, options.namespace());
            }
            env.put(TO_SAME_CASE, Boolean.toString(options.toSameCase()));
            env.put(ADD_META, Boolean.toString(options.addMeta()));
            env.put(DEDUPLICATE, Boolean.toString(options.deduplicate()));
            env.put(FULL_SYNC, Boolean.toString(options.fullSync()));
            env.put(DEBUG, Boolean.toString(options.debug()));
        }
        return env;
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

    /**
     * This task as the result tables need it: the same {@link TaskRef} the worker makes from the task
     * row, since {@code TASK_ID} is the internal id of a spec/check/discover and the read id derives
     * from the client's taskId ({@link JobIds#readTask}), and {@code STARTED_AT} is the acceptance time.
     */
    public TaskRef ref() {
        boolean read = command == TaskType.READ;
        UUID id = !read ? checkTaskId() : taskId.isEmpty() ? null : JobIds.readTask(taskId);
        return new TaskRef(id, command, pkg, version, storageKey, read ? syncId : null, read ? taskId : null,
                startedByJson, startedAt);
    }

    /** The logger name of connector lines in task_log. */
    public String connectorLogger() {
        return pkg;
    }

    /** Never prints the database URL (it holds a password). */
    @Override
    public String toString() {
        return "SidecarSettings[" + command.command() + " " + pkg + ":" + version + ", storageKey=" + storageKey
                + ", syncId=" + syncId + ", taskId=" + taskId + ", configDir=" + configDir + ", options=" + options + "]";
    }

    /** {@code DATABASE_URL}, else the file {@code DATABASE_URL_FILE} names; errors never quote the URL. */
    private static DatabaseUrl database(Function<String, String> get) {
        if (get.apply(DATABASE_URL) != null || get.apply(DATABASE_URL_FILE) == null) {
            return setting(get, DATABASE_URL, true, DatabaseUrl::parse);
        }
        String content = setting(get, DATABASE_URL_FILE, true, v -> {
            try {
                return Files.readString(Path.of(v)).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        });
        try {
            return DatabaseUrl.parse(content);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(DATABASE_URL_FILE, "holds no valid database URL: " + e.getMessage());
        }
    }

    private static TaskType command(String v) {
        try {
            return TaskType.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of spec, check, discover, read");
        }
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

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String emptyToNull(String v) {
        return v == null || v.isEmpty() ? null : v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <T> T orElse(T v, T dflt) {
        return v == null ? dflt : v;
    }
}
