package io.syncctl.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Test
    void missingDatabaseUrlStopsWithOneLine() {
        assertStops(Map.of("SYNCCTL_PAYLOAD_KEY", KEY), "syncctl-api: SYNCCTL_DATABASE_URL is required but not set\n");
    }

    @Test
    void malformedSettingsAreNamedWithoutTheirValue() {
        assertStops(Map.of("SYNCCTL_DATABASE_URL", "mysql://u:topsecret@h/db", "SYNCCTL_PAYLOAD_KEY", KEY),
                "syncctl-api: SYNCCTL_DATABASE_URL must look like postgresql://user:password@host:5432/database\n");
        assertStops(Map.of("SYNCCTL_DATABASE_URL", "postgresql://h/db", "SYNCCTL_PAYLOAD_KEY", "c2hvcnQ="),
                "syncctl-api: SYNCCTL_PAYLOAD_KEY must decode to 32 bytes, got 5 (make one with: openssl rand -base64 32)\n");
        assertStops(Map.of("SYNCCTL_DATABASE_URL", "postgresql://h/db", "SYNCCTL_PAYLOAD_KEY", KEY, "SYNCCTL_HTTP_PORT", "x"),
                "syncctl-api: SYNCCTL_HTTP_PORT must be a number\n");
    }

    @Test
    void goodSettingsPass() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.checkSettings(Map.of("SYNCCTL_DATABASE_URL", "postgresql://h/db", "SYNCCTL_PAYLOAD_KEY", KEY,
                "SYNCCTL_INSTANCE_ID", "i1"), new PrintStream(err)));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void workerOnlySettingsNeverStopTheApi() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.checkSettings(Map.of("SYNCCTL_DATABASE_URL", "postgresql://h/db", "SYNCCTL_PAYLOAD_KEY", KEY,
                "SYNCCTL_INSTANCE_ID", "i1", "SYNCCTL_DASHBOARD_PORT", "8000", "SYNCCTL_SIDECAR_IDLE_TIMEOUT", "soon",
                "SYNCCTL_KUBERNETES_NODE_SELECTOR", "pool=syncs", "SYNCCTL_SIDECAR_DATABASE_URL", "mysql://h/db"), new PrintStream(err)));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    static void assertStops(Map<String, String> env, String expected) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.checkSettings(env, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(expected, err.toString(StandardCharsets.UTF_8));
    }
}
