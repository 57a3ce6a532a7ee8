package io.syncctl.shared.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("SYNCCTL_DATABASE_URL", "postgresql://u:hunter2@h/d");
        env.put("SYNCCTL_PAYLOAD_KEY", KEY);
        env.put("SYNCCTL_INSTANCE_ID", "test-instance");
        return env;
    }

    @Test
    void defaultsFollowTheContract() {
        Settings s = Settings.from(minimal(), Settings.Role.API);
        assertEquals(3043, s.httpPort());
        assertEquals("default", s.kubernetesNamespace());
        assertEquals(10, s.containerStatusCheckSeconds());
        assertEquals(180, s.containerInitTimeoutSeconds());
        assertEquals(48, s.taskTimeoutHours());
        assertEquals(16L * 1024 * 1024, s.maxRequestBytes());
        assertEquals(Duration.ofHours(1), s.sidecarIdleTimeout());
        assertEquals("postgresql://u:hunter2@h/d", s.sidecarDatabaseUrl());
        assertTrue(s.authTokens().isEmpty());
        assertTrue(s.rawAuthTokens().isEmpty());
        assertEquals(List.of(""), s.tokenSecrets());
        assertTrue(s.dashboardPort().isEmpty());
        assertEquals(32, s.payloadKey().length);
        assertEquals("syncctl", s.internalSchema());
    }

    @Test
    void theInternalSchemaIsAPlainNameOtherThanTheResultSchema() {
        Map<String, String> env = minimal();
        env.put("SYNCCTL_INTERNAL_SCHEMA", "syncctl_queue");
        assertEquals("syncctl_queue", Settings.from(env, Settings.Role.API).internalSchema());
        env.put("SYNCCTL_INTERNAL_SCHEMA", "Bad-Name");
        assertProblem(e -> e.putAll(env), Settings.Role.API, "SYNCCTL_INTERNAL_SCHEMA must be a lower-case schema name");
        env.put("SYNCCTL_DATABASE_URL", "postgresql://u:hunter2@h/d?search_path=newjitsu");
        env.put("SYNCCTL_INTERNAL_SCHEMA", "newjitsu");
        assertProblem(e -> e.putAll(env), Settings.Role.API, "SYNCCTL_INTERNAL_SCHEMA must differ from the result schema 'newjitsu'");
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = minimal();
        env.put("SYNCCTL_HTTP_PORT", "8080");
        env.put("SYNCCTL_KUBERNETES_NAMESPACE", "syncs");
        env.put("SYNCCTL_KUBERNETES_NODE_SELECTOR", "{\"pool\":\"syncs\"}");
        env.put("SYNCCTL_SIDECAR_IMAGE", "syncctl/sidecar:1.0");
        env.put("SYNCCTL_SIDECAR_DATABASE_URL", "postgresql://u:p@internal/d");
        env.put("SYNCCTL_TASK_TIMEOUT_HOURS", "2");
        env.put("SYNCCTL_SIDECAR_IDLE_TIMEOUT", "1h30m");
        env.put("SYNCCTL_DASHBOARD_PORT", "8000");
        env.put("SYNCCTL_DASHBOARD_PASSWORD", "pw");
        Settings s = Settings.from(env, Settings.Role.WORKER);
        assertEquals(8080, s.httpPort());
        assertEquals(Map.of("pool", "syncs"), s.kubernetesNodeSelector());
        assertEquals("syncctl/sidecar:1.0", s.sidecarImage());
        assertEquals("postgresql://u:p@internal/d", s.sidecarDatabaseUrl());
        assertEquals(2, s.taskTimeoutHours());
        assertEquals(Duration.ofMinutes(90), s.sidecarIdleTimeout());
        assertEquals(8000, s.dashboardPort().orElseThrow());
        assertEquals("admin", s.dashboardUsername());
    }

    @Test
    void theApiReadsTheAuthSettings() {
        Map<String, String> env = minimal();
        env.put("SYNCCTL_AUTH_TOKENS", "abc, salt.hash ,");
        env.put("SYNCCTL_RAW_AUTH_TOKENS", "default");
        env.put("SYNCCTL_TOKEN_SECRET", "s1,,s 3");
        env.put("SYNCCTL_MAX_REQUEST_BYTES", "1024");
        Settings s = Settings.from(env, Settings.Role.API);
        assertEquals(List.of("abc", "salt.hash"), s.authTokens());
        assertEquals(List.of("default"), s.rawAuthTokens());
        assertEquals(List.of("s1", "", "s 3"), s.tokenSecrets(), "split at commas, verbatim, as the Go controller does");
        assertEquals(1024, s.maxRequestBytes());
    }

    @Test
    void settingsOfTheOtherServiceNeverStopThisOne() {
        // values the worker would refuse, or accepts only together with another setting
        Map<String, String> env = minimal();
        env.put("SYNCCTL_DASHBOARD_PORT", "8000");
        env.put("SYNCCTL_SIDECAR_DATABASE_URL", "postgresql://postgres:pw@:5432/postgres?search_path=newjitsu");
        env.put("SYNCCTL_KUBERNETES_NODE_SELECTOR", "[1]");
        env.put("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "0");
        env.put("SYNCCTL_TASK_TIMEOUT_HOURS", "x");
        env.put("SYNCCTL_SIDECAR_IDLE_TIMEOUT", "soon");
        env.put("SYNCCTL_SIDECAR_IMAGE", "jitsucom/sidecar:latest");
        Settings api = Settings.from(env, Settings.Role.API);
        assertTrue(api.dashboardPort().isEmpty());
        assertEquals(48, api.taskTimeoutHours());

        Map<String, String> workerEnv = minimal();
        workerEnv.put("SYNCCTL_SIDECAR_IMAGE", "jitsucom/sidecar:latest");
        workerEnv.put("SYNCCTL_MAX_REQUEST_BYTES", "lots");
        workerEnv.put("SYNCCTL_RAW_AUTH_TOKENS", "default");
        Settings worker = Settings.from(workerEnv, Settings.Role.WORKER);
        assertTrue(worker.rawAuthTokens().isEmpty());
    }

    @Test
    void missingOrMalformedSettingsNameTheVariableInOneLineWithoutTheValue() {
        assertProblem(env -> env.remove("SYNCCTL_DATABASE_URL"), Settings.Role.API, "SYNCCTL_DATABASE_URL is required but not set");
        assertProblem(env -> env.put("SYNCCTL_DATABASE_URL", "mysql://u:hunter2@h/d"), Settings.Role.API, "SYNCCTL_DATABASE_URL must look like");
        assertProblem(env -> env.remove("SYNCCTL_PAYLOAD_KEY"), Settings.Role.API, "SYNCCTL_PAYLOAD_KEY is required");
        assertProblem(env -> env.put("SYNCCTL_PAYLOAD_KEY", "c2hvcnQ="), Settings.Role.API, "SYNCCTL_PAYLOAD_KEY must decode to 32 bytes");
        assertProblem(env -> env.put("SYNCCTL_HTTP_PORT", "http"), Settings.Role.API, "SYNCCTL_HTTP_PORT must be a number");
        assertProblem(env -> env.put("SYNCCTL_HTTP_PORT", "70000"), Settings.Role.API, "SYNCCTL_HTTP_PORT must be a port");
        assertProblem(env -> worker(env).put("SYNCCTL_KUBERNETES_NODE_SELECTOR", "[1]"), Settings.Role.WORKER, "SYNCCTL_KUBERNETES_NODE_SELECTOR must be a JSON object");
        assertProblem(env -> worker(env).put("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "0"), Settings.Role.WORKER, "SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS must be a positive number");
        assertProblem(env -> worker(env).put("SYNCCTL_SIDECAR_IDLE_TIMEOUT", "soon"), Settings.Role.WORKER, "SYNCCTL_SIDECAR_IDLE_TIMEOUT must be a duration");
        assertProblem(env -> worker(env).put("SYNCCTL_DASHBOARD_PORT", "8000"), Settings.Role.WORKER, "SYNCCTL_DASHBOARD_PASSWORD is required when");
        assertProblem(env -> env.put("SYNCCTL_MAX_REQUEST_BYTES", "0"), Settings.Role.API, "SYNCCTL_MAX_REQUEST_BYTES must be a positive number");
        assertProblem(env -> { }, Settings.Role.WORKER, "SYNCCTL_SIDECAR_IMAGE is required but not set");
    }

    private static Map<String, String> worker(Map<String, String> env) {
        env.put("SYNCCTL_SIDECAR_IMAGE", "jitsucom/sidecar:latest");
        return env;
    }

    @Test
    void toStringLeaksNoSecret() {
        Map<String, String> env = minimal();
        env.put("SYNCCTL_AUTH_TOKENS", "tok-hunter3");
        String shown = Settings.from(env, Settings.Role.API).toString();
        assertFalse(shown.contains("hunter2"), shown);
        assertFalse(shown.contains("hunter3"), shown);
        assertFalse(shown.contains(KEY), shown);
    }

    @Test
    void theLogFormatIsTextOrJson() {
        for (Settings.Role role : Settings.Role.values()) {
            assertProblem(e -> {
                e.put("SYNCCTL_SIDECAR_IMAGE", "syncctl/sidecar:1.0");
                e.put("SYNCCTL_LOG_FORMAT", "xml");
            }, role, "SYNCCTL_LOG_FORMAT must be text or json");
        }
        assertEquals(LogFormat.JSON, LogFormat.parse(" JSON "));
        assertEquals(LogFormat.TEXT, LogFormat.parse(null));
        assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
    }

    private static void assertProblem(java.util.function.Consumer<Map<String, String>> change, Settings.Role role, String expected) {
        Map<String, String> env = minimal();
        change.accept(env);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Settings.from(env, role));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
