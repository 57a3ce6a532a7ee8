package io.syncctl.sidecar;

import io.syncctl.shared.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SidecarEnvTest {
    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("COMMAND", "read");
        env.put("STDOUT_PIPE_FILE", "/pipes/stdout");
        env.put("STDERR_PIPE_FILE", "/pipes/stderr");
        env.put("DATABASE_URL", "postgresql://u:secretpw@db:5432/x?search_path=bulker");
        env.put("PACKAGE", "airbyte/source-x");
        env.put("PACKAGE_VERSION", "1.2");
        env.put("SYNC_ID", "s");
        env.put("TASK_ID", "t");
        return env;
    }

    @Test
    void defaultsAndOptions() {
        Map<String, String> env = base();
        env.put("TO_SAME_CASE", "true");
        env.put("DEDUPLICATE", "false");
        env.put("IDLE_TIMEOUT", "90s");
        SidecarEnv e = SidecarEnv.from(env);
        assertEquals(Command.READ, e.command());
        assertEquals("/config", e.configDir().toString());
        assertEquals("bulker", e.database().schema());
        assertEquals(Duration.ofSeconds(90), e.idleTimeout());
        assertTrue(e.options().toSameCase());
        assertFalse(e.options().deduplicate());
        assertFalse(e.options().fullSync());
        assertEquals(Duration.ofHours(1), SidecarEnv.from(base()).idleTimeout());
    }

    @Test
    void problemsNameTheVariableAndNeverItsValue() {
        Map<String, String> env = base();
        env.remove("TASK_ID");
        assertEquals("TASK_ID is required", assertThrows(InvalidSettingException.class, () -> SidecarEnv.from(env)).getMessage());
        Map<String, String> bad = base();
        bad.put("DATABASE_URL", "mysql://u:secretpw@db/x");
        String msg = assertThrows(InvalidSettingException.class, () -> SidecarEnv.from(bad)).getMessage();
        assertTrue(msg.startsWith("DATABASE_URL "), msg);
        assertFalse(msg.contains("secretpw"));
        Map<String, String> flag = base();
        flag.put("FULL_SYNC", "maybe");
        assertEquals("FULL_SYNC must be true or false", assertThrows(InvalidSettingException.class, () -> SidecarEnv.from(flag)).getMessage());
    }
}
