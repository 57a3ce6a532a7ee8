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
        assertTrue(s.payloadKeysOld().isEmpty());
        assertEquals("syncctl", s.internalSchema());
        assertTrue(s.allowedImages().any());
        assertEquals(64L * 1024 * 1024, s.intakeMaxBytes());
        assertEquals("127.0.0.1", s.dashboardBind());
        assertEquals(new io.syncctl.shared.sidecar.SidecarSettings.Limits(64 << 20, 100_000), s.sidecarLimits());
    }

    @Test
    void theHardeningSettingsAreRead() {
        Map<String, String> env = minimal();
        env.put("SYNCCTL_ALLOWED_IMAGES", "airbyte/*, jitsucom/*");
        env.put("SYNCCTL_INTAKE_MAX_BYTES", "1000");
        Settings api = Settings.from(env, Settings.Role.API);
        assertEquals(List.of("airbyte/*", "jitsucom/*"), api.allowedImages().patterns());
        assertTrue(api.allowedImages().allows("jitsucom/source-x"));
        assertFalse(api.allowedImages().allows("evil/x"));
        assertEquals(1000, api.intakeMaxBytes());
        Map<String, String> w = worker(minimal());
        w.put("SYNCCTL_DASHBOARD_BIND", "0.0.0.0");
        w.put("SYNCCTL_TASK_LOG_MAX_LINES", "500");
        w.put("SYNCCTL_SIDECAR_MAX_LINE_BYTES", "1048576");
        Settings worker = Settings.from(w, Settings.Role.WORKER);
        assertEquals("0.0.0.0", worker.dashboardBind());
        assertEquals(new io.syncctl.shared.sidecar.SidecarSettings.Limits(1 << 20, 500), worker.sidecarLimits());
        assertProblem(e -> e.put("SYNCCTL_ALLOWED_IMAGES", "airbyte/*,,x/*"), Settings.Role.API, "SYNCCTL_ALLOWED_IMAGES has an empty pattern");
        assertProblem(e -> e.put("SYNCCTL_INTAKE_MAX_BYTES", "-1"), Settings.Role.API, "SYNCCTL_INTAKE_MAX_BYTES must be a positive number");
        assertProblem(e -> worker(e).put("SYNCCTL_TASK_LOG_MAX_LINES", "0"), Settings.Role.WORKER, "SYNCCTL_TASK_LOG_MAX_LINES must be a positive number");
        assertProblem(e -> worker(e).put("SYNCCTL_SIDECAR_MAX_LINE_BYTES", "4294967296"), Settings.Role.WORKER,
                "SYNCCTL_SIDECAR_MAX_LINE_BYTES must be at most");
    }

    @Test
    void placeholdersOfTheExampleSettingsStopStartup() {
        String fix = "still holds the placeholder CHANGE_ME: set a real value (deploy/README.md, section 2)";
        assertProblem(e -> e.put("SYNCCTL_PAYLOAD_KEY", "CHANGE_ME-openssl-rand-base64-32"), Settings.Role.API, "SYNCCTL_PAYLOAD_KEY " + fix);
        assertProblem(e -> e.put("SYNCCTL_RAW_AUTH_TOKENS", "CHANGE_ME"), Settings.Role.API, "SYNCCTL_RAW_AUTH_TOKENS " + fix);
        assertProblem(e -> e.put("SYNCCTL_AUTH_TOKENS", "real, change_me"), Settings.Role.API, "SYNCCTL_AUTH_TOKENS " + fix);
        assertProblem(e -> e.put("SYNCCTL_TOKEN_SECRET", "CHANGE_ME"), Settings.Role.API, "SYNCCTL_TOKEN_SECRET " + fix);
        assertProblem(e -> e.put("SYNCCTL_DATABASE_URL", "postgresql://u:CHANGE_ME@h/d"), Settings.Role.WORKER, "SYNCCTL_DATABASE_URL " + fix);
        assertProblem(e -> worker(e).put("SYNCCTL_DASHBOARD_PASSWORD", "CHANGE_ME"), Settings.Role.WORKER, "SYNCCTL_DASHBOARD_PASSWORD " + fix);
        String empty = "has an empty entry: remove the stray comma";
        assertProblem(e -> e.put("SYNCCTL_RAW_AUTH_TOKENS", "good, "), Settings.Role.API, "SYNCCTL_RAW_AUTH_TOKENS " + empty);
        assertProblem(e -> e.put("SYNCCTL_AUTH_TOKENS", ",abc"), Settings.Role.API, "SYNCCTL_AUTH_TOKENS " + empty);
        assertProblem(e -> e.put("SYNCCTL_TOKEN_SECRET", "s1,,s3"), Settings.Role.API, "SYNCCTL_TOKEN_SECRET " + empty);
        // a setting of the other service is not this one's business
        Map<String, String> api = minimal();
        api.put("SYNCCTL_DASHBOARD_PASSWORD", "CHANGE_ME");
        Settings.from(api, Settings.Role.API);
        // blank = unset: the setting's own rule applies (no auth here, with a warning at startup)
        Map<String, String> blank = minimal();
        blank.put("SYNCCTL_RAW_AUTH_TOKENS", "  ");
        assertTrue(Settings.from(blank, Settings.Role.API).rawAuthTokens().isEmpty());
        assertProblem(e -> e.put("SYNCCTL_PAYLOAD_KEY", " "), Settings.Role.API, "SYNCCTL_PAYLOAD_KEY is required but not set");
        assertProblem(e -> worker(e).putAll(Map.of("SYNCCTL_DASHBOARD_PORT", "8000", "SYNCCTL_DASHBOARD_PASSWORD", " ")), Settings.Role.WORKER,
                "SYNCCTL_DASHBOARD_PASSWORD is required when");
    }

    @Test
    void oldPayloadKeysAreReadByBothServicesAndEachMustBeAKey() {
        String other = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
        Map<String, String> env = worker(minimal());
        env.put("SYNCCTL_PAYLOAD_KEYS_OLD", other + ", " + KEY + ",");
        for (Settings.Role role : Settings.Role.values()) {
            List<byte[]> old = Settings.from(env, role).payloadKeysOld();
            assertEquals(2, old.size());
            assertEquals(java.util.Base64.getEncoder().encodeToString(old.get(0)), other);
        }
        assertProblem(e -> e.put("SYNCCTL_PAYLOAD_KEYS_OLD", KEY + ",c2hvcnQ="), Settings.Role.API,
                "SYNCCTL_PAYLOAD_KEYS_OLD key 2 must decode to 32 bytes");
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
        env.put("SYNCCTL_AUTH_TOKENS", "abc, salt.hash ");
        env.put("SYNCCTL_RAW_AUTH_TOKENS", "default");
        env.put("SYNCCTL_TOKEN_SECRET", "s1, s 3");
        env.put("SYNCCTL_MAX_REQUEST_BYTES", "1024");
        Settings s = Settings.from(env, Settings.Role.API);
        assertEquals(List.of("abc", "salt.hash"), s.authTokens());
        assertEquals(List.of("default"), s.rawAuthTokens());
        assertEquals(List.of("s1", " s 3"), s.tokenSecrets(), "split at commas, verbatim, as the Go controller does");
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

    private static void assertProblem(java.util.function.Consumer<Map<String, String>> change, Settings.Role role, String expected) {
        Map<String, String> env = minimal();
        change.accept(env);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> Settings.from(env, role));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
