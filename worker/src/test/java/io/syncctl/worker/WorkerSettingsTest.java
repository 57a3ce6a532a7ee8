package io.syncctl.worker;

import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.worker.support.TestSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerSettingsTest {

    @Test
    void defaults() {
        WorkerSettings s = TestSettings.settings();
        assertEquals("busybox:1.36", s.initImage());
        assertNull(s.serviceAccount());
        assertEquals(60, s.gracePeriodSeconds());
        assertEquals(Duration.ofMinutes(2), s.launchGiveUp());
        assertEquals(new WorkerSettings.Resources("100m", "256Mi", null, "2Gi"), s.sourceResources());
        assertEquals(new WorkerSettings.PodSecurity(10001, 10001, false, false), s.security());
    }

    @Test
    void overrides() {
        WorkerSettings s = TestSettings.settings("SYNCCTL_INIT_IMAGE", "registry.local/busybox:1.37",
                "SYNCCTL_SOURCE_MEMORY_LIMIT", "4Gi", "SYNCCTL_SIDECAR_CPU_LIMIT", "1", "SYNCCTL_LAUNCH_GIVE_UP", "5m");
        assertEquals("registry.local/busybox:1.37", s.initImage());
        assertEquals("4Gi", s.sourceResources().memoryLimit());
        assertEquals("1", s.sidecarResources().cpuLimit());
        assertEquals(Duration.ofMinutes(5), s.launchGiveUp());
        for (String image : java.util.List.of("busybox", "busybox:1.36.1-musl", "docker.io/library/busybox:1.36",
                "localhost:5000/busybox@sha256:" + "0123456789abcdef".repeat(4),
                "busybox:1.36@sha256:" + "0123456789abcdef".repeat(4))) {
            assertEquals(image, TestSettings.settings("SYNCCTL_INIT_IMAGE", image).initImage());
        }
        assertEquals("SYNCCTL_INIT_IMAGE must be an image reference such as busybox:1.36 or busybox@sha256:<64 hex digits>",
                assertThrows(InvalidSettingException.class, () -> TestSettings.settings("SYNCCTL_INIT_IMAGE",
                        "busybox@sha256:" + "0123456789abcdef".repeat(3))).getMessage());
    }

    @Test
    void aSidecarConnectingAsTheControlPlaneIsWarnedAbout() {
        assertEquals(java.util.Optional.empty(), TestSettings.settings().sidecarDatabaseWarning(), "TestSettings has a sidecar user of its own");
        String control = TestSettings.env().get("SYNCCTL_DATABASE_URL");
        for (WorkerSettings same : java.util.List.of(TestSettings.settings("SYNCCTL_SIDECAR_DATABASE_URL", control),
                TestSettings.settings("SYNCCTL_SIDECAR_DATABASE_URL", control.replace("search_path=bulker", "search_path=other")))) {
            String warning = same.sidecarDatabaseWarning().orElseThrow();
            assertTrue(warning.contains("deploy/sql/sidecar-role.sql"), warning);
            assertFalse(warning.contains(TestSettings.DB_PASSWORD), warning);
        }
        Map<String, String> unset = TestSettings.env();
        unset.remove("SYNCCTL_SIDECAR_DATABASE_URL");
        assertTrue(WorkerSettings.from(unset).sidecarDatabaseWarning().isPresent(), "unset: the control plane's URL is used");
        assertFalse(TestSettings.settings("SYNCCTL_SIDECAR_DATABASE_URL",
                control.replace("syncctl:", "syncctl_sidecar:")).sidecarDatabaseWarning().isPresent());
    }

    @Test
    void badValuesStopStartupWithOneLineNamingTheVariable() {
        Map<String, String> cases = Map.of(
                "SYNCCTL_SOURCE_MEMORY_LIMIT", "lots",
                "SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS", "-1",
                "SYNCCTL_KUBERNETES_SERVICE_ACCOUNT", "Not_Valid",
                "SYNCCTL_LAUNCH_GIVE_UP", "soon",
                "SYNCCTL_SOURCE_EPHEMERAL_STORAGE_LIMIT", "big",
                "SYNCCTL_SIDECAR_UID", "0",
                "SYNCCTL_SOURCE_RUN_AS_NON_ROOT", "yes please",
                "SYNCCTL_INIT_IMAGE", "busybox@sha256:abc",
                "SYNCCTL_SIDECAR_IMAGE", "");
        // Map.of takes at most 10 pairs
        cases = new java.util.HashMap<>(cases);
        cases.put("SYNCCTL_SIDECAR_GID", "-5");
        cases.put("SYNCCTL_SOURCE_READ_ONLY_ROOT_FILESYSTEM", "1");
        cases.forEach((name, value) -> {
            InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> TestSettings.settings(name, value));
            assertEquals(name, e.variable());
            assertFalse(e.getMessage().contains("\\n"));
            assertFalse(e.getMessage().contains(TestSettings.DB_PASSWORD));
        });
    }

    @Test
    void roomInTheClusterHasDefaultsAndChecksItsValues() {
        WorkerSettings.Room defaults = TestSettings.settings().room();
        assertEquals(new WorkerSettings.Room(Duration.ofMinutes(30), java.util.OptionalInt.empty(), Duration.ofMinutes(2)), defaults);
        WorkerSettings.Room set = TestSettings.settings("SYNCCTL_SCHEDULE_TIMEOUT", "1h", "SYNCCTL_MAX_RUNNING_PODS", "40",
                "SYNCCTL_TERMINATING_MARGIN", "30s").room();
        assertEquals(new WorkerSettings.Room(Duration.ofHours(1), java.util.OptionalInt.of(40), Duration.ofSeconds(30)), set);
        Map.of("SYNCCTL_SCHEDULE_TIMEOUT", "never", "SYNCCTL_MAX_RUNNING_PODS", "0", "SYNCCTL_TERMINATING_MARGIN", "-5s")
                .forEach((name, value) -> assertEquals(name,
                        assertThrows(InvalidSettingException.class, () -> TestSettings.settings(name, value)).variable()));
    }
}
