package io.syncctl.worker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker process with a bad setting: exit code 2 and one line naming the variable, nothing else. */
class WorkerMainTest {

    @Test
    void aBadSettingStopsStartupWithOneLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SYNCCTL_"));
        env.put("SYNCCTL_DATABASE_URL", "postgresql://app:hunter2@db:5432/app");
        env.put("SYNCCTL_PAYLOAD_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        env.put("SYNCCTL_SIDECAR_IMAGE", "sidecar:1");
        env.put("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "soon");
        Process p = pb.redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertEquals(List.of("syncctl worker: SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS must be a number"), out.lines().toList());
    }
}
