package io.syncctl.worker.launch;

import io.syncctl.shared.task.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The source container's script, run by a real {@code sh} against real FIFOs (the pod's paths moved to a temp dir). */
class SourceScriptTest {

    @Test
    void withoutASidecarTheConnectorGivesUpInsteadOfBlockingForever(@TempDir Path dir) throws Exception {
        Process p = start(dir, 1, "echo");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the source script still waits for its pipes");
        assertEquals(3, p.exitValue(), "the shell saw its watchdog's mark");
        String log = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(log.contains("syncctl: the sidecar did not open the connector's pipes within 1 s"), log);
    }

    @Test
    void onceThePipesAreOpenTheWatchdogIsGoneAndTheConnectorRunsPastIt(@TempDir Path dir) throws Exception {
        // the connector takes longer than the watchdog's wait: it must not be stopped
        Process p = start(dir, 1, "sleep 3; echo");
        CompletableFuture<String> out = read(dir.resolve("stdout"));
        CompletableFuture<String> err = read(dir.resolve("stderr"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err.get(10, TimeUnit.SECONDS));
        assertEquals("check --config " + dir + "/config.json\n", out.get(10, TimeUnit.SECONDS));
        assertEquals("", err.get(10, TimeUnit.SECONDS));
        assertFalse(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).contains("giving up"));
    }

    @Test
    void theScriptHasNoDollarDollarWhichKubernetesWouldTurnIntoDollar() {
        assertFalse(TaskPodBuilder.sourceScript(TaskType.READ, 180).contains("$$"));
        assertFalse(TaskPodBuilder.sourceScript(TaskType.READ, 180).contains("$("));
    }

    private static Process start(Path dir, int seconds, String entrypoint) throws IOException, InterruptedException {
        for (String fifo : new String[]{"stdout", "stderr"}) {
            assertEquals(0, new ProcessBuilder("mkfifo", dir.resolve(fifo).toString()).start().waitFor());
        }
        String script = TaskPodBuilder.sourceScript(TaskType.CHECK, seconds)
                .replace(TaskPodBuilder.PIPES_DIR, dir.toString()).replace(TaskPodBuilder.CONFIG_DIR + "/", dir + "/");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("AIRBYTE_ENTRYPOINT", entrypoint);
        return pb.start();
    }

    /** On its own thread: opening a FIFO blocks until the writer opens it. */
    private static CompletableFuture<String> read(Path fifo) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
