package io.syncctl.shared.sidecar;

import io.syncctl.shared.config.DatabaseUrl;
import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.shared.task.TaskType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SidecarSettingsTest {
    private static final String DB = "postgresql://u:secretpw@db:5432/x?search_path=bulker";

    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("COMMAND", "read");
        env.put("STDOUT_PIPE_FILE", "/pipes/stdout");
        env.put("STDERR_PIPE_FILE", "/pipes/stderr");
        env.put("DATABASE_URL", DB);
        env.put("PACKAGE", "airbyte/source-x");
        env.put("PACKAGE_VERSION", "1.2");
        env.put("SYNC_ID", "s");
        env.put("TASK_ID", "t");
        return env;
    }

    /** What the worker writes for a pod, with the console's real key shapes. */
    private static SidecarSettings settings(TaskType command, String storageKey, String syncId, String taskId,
                                            SidecarSettings.ReadOptions options) {
        return new SidecarSettings(command, Path.of("/pipes/stdout"), Path.of("/pipes/stderr"), Path.of("/config"),
                Path.of("/sidecar"), DatabaseUrl.parse(DB), "airbyte/source-postgres", "3.6.2", storageKey, syncId, taskId,
                "${SOURCE_NAMESPACE}_pg ", "{\"user\":\"ann\"}", Instant.parse("2024-06-01T10:00:00.123456Z"),
                Duration.ofSeconds(90), Duration.ofSeconds(25), Duration.ofMillis(1500), "syncctl_internal", options);
    }

    private static SidecarSettings readBack(SidecarSettings s) {
        Map<String, String> env = new HashMap<>(s.toEnv());
        assertFalse(env.containsKey("DATABASE_URL"), "the database URL only travels in the Secret");
        assertFalse(env.values().stream().anyMatch(v -> v.contains("secretpw")), env.toString());
        env.put("DATABASE_URL", DB);
        return SidecarSettings.from(env);
    }

    @Test
    void whatTheWorkerWritesTheSidecarReadsBack() {
        String key = "clx2x1abc0000qwerty_cly9zz0001asdfgh_5f4dcc3b5aa765d61d8327deb882cf99_q-1733100000000";
        SidecarSettings check = settings(TaskType.CHECK, key, "", "0b5e8a7e-4bd2-4c87-9f5a-1b7f4a9e1c11",
                SidecarSettings.ReadOptions.DEFAULTS);
        assertEquals(check, readBack(check));
        assertEquals(java.util.UUID.fromString("0b5e8a7e-4bd2-4c87-9f5a-1b7f4a9e1c11"), readBack(check).checkTaskId());

        SidecarSettings read = settings(TaskType.READ, null, "clx2x1abc0000qwerty sync #1", " run 2024-06-01 ",
                new SidecarSettings.ReadOptions("${LEGACY}", true, true, false, true, true));
        assertEquals(read, readBack(read));
        assertEquals(" run 2024-06-01 ", readBack(read).taskId(), "keys are taken verbatim");
        SidecarSettings noNamespace = settings(TaskType.READ, null, "s", "t", SidecarSettings.ReadOptions.DEFAULTS);
        assertEquals(noNamespace, readBack(noNamespace));
        SidecarSettings spec = settings(TaskType.SPEC, null, "", "", SidecarSettings.ReadOptions.DEFAULTS);
        assertEquals(spec, readBack(spec));
    }

    @Test
    void thePublicNamesOfTheContract() {
        Map<String, String> env = settings(TaskType.READ, null, "s", "t",
                new SidecarSettings.ReadOptions("analytics", true, false, true, false, false)).toEnv();
        assertEquals(java.util.List.of("STDOUT_PIPE_FILE", "STDERR_PIPE_FILE", "COMMAND", "PACKAGE", "PACKAGE_VERSION",
                "STORAGE_KEY", "SYNC_ID", "TASK_ID", "TABLE_NAME_PREFIX", "STARTED_BY", "STARTED_AT", "CONFIG_DIR",
                "DESTINATION_CONFIG_DIR", "IDLE_TIMEOUT", "START_TIMEOUT", "HEARTBEAT_INTERVAL", "INTERNAL_SCHEMA", "NAMESPACE", "TO_SAME_CASE", "ADD_META",
                "DEDUPLICATE", "FULL_SYNC", "DEBUG"), java.util.List.copyOf(env.keySet()));
        assertEquals("read", env.get("COMMAND"));
        assertEquals("2024-06-01T10:00:00.123456Z", env.get("STARTED_AT"));
        assertFalse(settings(TaskType.CHECK, "k", "", "", SidecarSettings.ReadOptions.DEFAULTS).toEnv().containsKey("TO_SAME_CASE"),
                "read options are for reads");
    }

    @Test
    void readOptionsFromTheQueryParametersTheApiStored() {
        assertEquals(new SidecarSettings.ReadOptions("${LEGACY}", true, false, true, false, false),
                SidecarSettings.ReadOptions.fromQuery(Map.of("namespace", "${LEGACY}", "toSameCase", "true",
                        "tableNamePrefix", "pg_", "startedBy", "{}")));
        assertEquals(SidecarSettings.ReadOptions.DEFAULTS, SidecarSettings.ReadOptions.fromQuery(Map.of()));
        assertFalse(SidecarSettings.ReadOptions.fromQuery(Map.of("deduplicate", "false")).deduplicate());
    }

    @Test
    void defaultsAndOptions() {
        Map<String, String> env = base();
        env.put("TO_SAME_CASE", "true");
        env.put("DEDUPLICATE", "false");
        env.put("IDLE_TIMEOUT", "90s");
        SidecarSettings e = SidecarSettings.from(env);
        assertEquals(TaskType.READ, e.command());
        assertEquals("/config", e.configDir().toString());
        assertEquals("/config", e.destinationConfigDir().toString(), "destinationConfig.json beside the rest, as jitsucom/sidecar expects");
        assertEquals("bulker", e.database().schema());
        assertEquals(Duration.ofSeconds(90), e.idleTimeout());
        assertTrue(e.options().toSameCase());
        assertFalse(e.options().deduplicate());
        assertFalse(e.options().fullSync());
        assertNull(e.options().namespace());
        SidecarSettings defaults = SidecarSettings.from(base());
        assertEquals(Duration.ofHours(1), defaults.idleTimeout());
        assertEquals(Duration.ofSeconds(180), defaults.startTimeout());
        assertEquals(Duration.ofSeconds(10), defaults.heartbeat());
        assertEquals("syncctl", defaults.internalSchema());
        assertEquals("", defaults.tableNamePrefix());
        assertNull(defaults.storageKey());
        assertFalse(defaults.toString().contains("secretpw"), defaults.toString());
    }

    @Test
    void theDatabaseUrlComesFromAFileWhenNotInTheEnvironment(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = base();
        String url = env.remove("DATABASE_URL");
        Path file = dir.resolve("databaseUrl");
        java.nio.file.Files.writeString(file, url + "\n");
        env.put("DATABASE_URL_FILE", file.toString());
        assertEquals(DatabaseUrl.parse(url), SidecarSettings.from(env).database());

        env.put("DATABASE_URL_FILE", dir.resolve("absent").toString());
        assertEquals("DATABASE_URL_FILE cannot be read (NoSuchFileException)",
                assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(env)).getMessage());
        java.nio.file.Files.writeString(file, "mysql://u:secretpw@db/x");
        env.put("DATABASE_URL_FILE", file.toString());
        String msg = assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(env)).getMessage();
        assertTrue(msg.startsWith("DATABASE_URL_FILE holds no valid database URL"), msg);
        assertFalse(msg.contains("secretpw"), msg);
        env.remove("DATABASE_URL_FILE");
        assertEquals("DATABASE_URL is required", assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(env)).getMessage());
    }

    @Test
    void problemsNameTheVariableAndNeverItsValue() {
        Map<String, String> env = base();
        env.remove("TASK_ID");
        assertEquals("TASK_ID is required", assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(env)).getMessage());
        Map<String, String> bad = base();
        bad.put("DATABASE_URL", "mysql://u:secretpw@db/x");
        String msg = assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(bad)).getMessage();
        assertTrue(msg.startsWith("DATABASE_URL "), msg);
        assertFalse(msg.contains("secretpw"));
        Map<String, String> flag = base();
        flag.put("FULL_SYNC", "maybe");
        assertEquals("FULL_SYNC must be true or false", assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(flag)).getMessage());
        Map<String, String> start = base();
        start.put("START_TIMEOUT", "0s");
        assertEquals("START_TIMEOUT must be a positive duration", assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(start)).getMessage());
        Map<String, String> command = base();
        command.put("COMMAND", "write");
        assertEquals("COMMAND must be one of spec, check, discover, read",
                assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(command)).getMessage());
    }

    @Test
    void limitsTravelOnlyWhenChangedAndAreReadBack() {
        SidecarSettings plain = settings(TaskType.READ, null, "s", "t", SidecarSettings.ReadOptions.DEFAULTS);
        assertEquals(SidecarSettings.Limits.DEFAULTS, plain.limits());
        assertFalse(plain.toEnv().containsKey("MAX_LINE_BYTES"), "a default pod's environment is unchanged");
        assertFalse(plain.toEnv().containsKey("TASK_LOG_MAX_LINES"));
        assertEquals(new SidecarSettings.Limits(64 << 20, 100_000), SidecarSettings.from(base()).limits());

        SidecarSettings.Limits limits = new SidecarSettings.Limits(1 << 20, 500);
        SidecarSettings changed = new SidecarSettings(plain.command(), plain.stdoutPipe(), plain.stderrPipe(), plain.configDir(),
                plain.destinationConfigDir(), plain.database(), plain.pkg(), plain.version(), plain.storageKey(), plain.syncId(),
                plain.taskId(), plain.tableNamePrefix(), plain.startedByJson(), plain.startedAt(), plain.idleTimeout(),
                plain.startTimeout(), plain.heartbeat(), plain.internalSchema(), plain.options(), limits);
        assertEquals("1048576", changed.toEnv().get("MAX_LINE_BYTES"));
        assertEquals("500", changed.toEnv().get("TASK_LOG_MAX_LINES"));
        assertEquals(changed, readBack(changed));

        Map<String, String> bad = base();
        bad.put("TASK_LOG_MAX_LINES", "0");
        assertEquals("TASK_LOG_MAX_LINES must be a positive number",
                assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(bad)).getMessage());
        Map<String, String> huge = base();
        huge.put("MAX_LINE_BYTES", "3000000000");
        assertTrue(assertThrows(InvalidSettingException.class, () -> SidecarSettings.from(huge)).getMessage()
                .startsWith("MAX_LINE_BYTES must be at most"));
    }
}
