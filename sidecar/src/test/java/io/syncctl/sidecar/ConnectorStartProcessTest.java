package io.syncctl.sidecar;

import org.junit.jupiter.api.Test;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neither side of the pod waits forever for the other: the sidecar opens the connector's pipes before
 * anything that can fail or hang, and gives up on a connector that never opens them.
 */
class ConnectorStartProcessTest extends WithTestDatabase {

    @Test
    void thePipesAreOpenWhileTheSidecarIsStillSettingUp() throws Exception {
        // A "database" that accepts and never answers: the sidecar hangs in its set-up, before reading a line.
        try (ServerSocket silent = new ServerSocket(0);
             SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "hang-key").env("TASK_ID", "hang-task")
                     .env("DATABASE_URL", "postgresql://u:pw@127.0.0.1:" + silent.getLocalPort() + "/x")) {
            CompletableFuture<Socket> accepted = async(silent::accept);
            p.startProcess();
            // the connector's shell opening its stdout, as the source container does before the connector runs
            CompletableFuture<OutputStream> opened = async(() -> new FileOutputStream(p.stdoutPipe.toFile()));
            try (OutputStream out = opened.get(60, TimeUnit.SECONDS)) {
                accepted.get(60, TimeUnit.SECONDS).close();
                assertTrue(accepted.isDone(), "the sidecar got as far as its database");
                // and once the sidecar is gone, the connector's next write fails instead of blocking
                p.sigterm();
                p.exitCode();
                assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 1000; i++) {
                        out.write(("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"" + "x".repeat(100) + "\"}}\n")
                                .getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                });
            }
        }
    }

    /** On a thread of its own: both calls block, and the common pool may have a single thread. */
    private static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(call.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Test
    void aCheckWhoseConnectorNeverStartsFailsAfterTheStartTimeout() throws Exception {
        try (SidecarProcess p = new SidecarProcess("check", db).env("STORAGE_KEY", "never-key").env("TASK_ID", "never-task")
                .env("START_TIMEOUT", "2s").config("config.json", "{}").startProcess()) {
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        Map<String, String> row = db.row("SELECT status, description FROM source_check WHERE key = 'never-key'");
        assertEquals("FAILED", row.get("status"));
        assertEquals("the connector did not start within 2s (it never opened its output pipes)", row.get("description"));
    }

    @Test
    void aReadWhoseConnectorNeverStartsFailsAfterTheStartTimeout() throws Exception {
        try (SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", "never-sync").env("TASK_ID", "never-read")
                .env("START_TIMEOUT", "2s").config("config.json", "{}")
                .config("catalog.json", Msg.catalog(Msg.stream("users", "{\"id\":{\"type\":\"integer\"}}", false)))
                .config("destinationConfig.json", db.postgresDestination()).startProcess()) {
            p.exitCode();
        }
        Map<String, String> row = db.row("SELECT status, error FROM source_task WHERE task_id = 'never-read'");
        assertEquals("FAILED", row.get("status"));
        assertTrue(row.get("error").contains("the connector did not start within 2s"), row.toString());
    }

    @Test
    void theDestinationAndDatabaseUrlComeFromTheSidecarsOwnDirectory() throws Exception {
        Path credentials = Files.createTempDirectory("sidecar-credentials");
        try {
            Files.writeString(credentials.resolve("destinationConfig.json"), db.postgresDestination());
            Files.writeString(credentials.resolve("databaseUrl"), db.databaseUrl());
            try (SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", "own-sync").env("TASK_ID", "own-read")
                    .env("DATABASE_URL", "").env("DATABASE_URL_FILE", credentials.resolve("databaseUrl").toString())
                    .env("DESTINATION_CONFIG_DIR", credentials.toString())
                    .config("config.json", "{}")
                    .config("catalog.json", Msg.catalog(Msg.stream("users", "{\"id\":{\"type\":\"integer\"}}", false))).start()) {
                assertFalse(Files.exists(p.configDir.resolve("destinationConfig.json")));
                p.out(Msg.record("users", "{\"id\":1}"), Msg.streamStatus("users", "COMPLETE")).closePipes();
                assertEquals(0, p.exitCode(), p.processOutput());
            }
            assertEquals("SUCCESS", db.row("SELECT status FROM source_task WHERE task_id = 'own-read'").get("status"));
            assertEquals("1", db.row("SELECT count(*) AS n FROM " + db.destSchema + ".users").get("n"));
        } finally {
            try (var files = Files.walk(credentials)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
