package io.syncctl.sidecar;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.sidecar.command.CommandHandler;
import io.syncctl.sidecar.command.Ending;
import io.syncctl.sidecar.command.TaskContext;
import io.syncctl.sidecar.log.SecretMasker;
import io.syncctl.sidecar.log.TaskLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a run ends when its endings race: the pod's SIGTERM reaches the connector and the sidecar at once. */
class SidecarEndingTest {

    @Test
    void sigtermWhileTheRunIsEndingWaitsUntilTheEndingIsWritten(@TempDir Path dir) throws Exception {
        // The connector died of the SIGTERM first: its output ended (empty pipes here), and the main thread
        // is writing the ending when the sidecar's own SIGTERM hook runs. Once every hook has returned the
        // JVM halts, so a hook that returned at once would cut that write off.
        Path stdout = Files.createFile(dir.resolve("stdout"));
        Path stderr = Files.createFile(dir.resolve("stderr"));
        SidecarSettings env = SidecarSettings.from(Map.of("COMMAND", "read", "STDOUT_PIPE_FILE", stdout.toString(),
                "STDERR_PIPE_FILE", stderr.toString(), "DATABASE_URL", "postgresql://nobody@127.0.0.1:1/unused",
                "PACKAGE", "source-x", "PACKAGE_VERSION", "1", "SYNC_ID", "sync", "TASK_ID", "task"));
        SecretMasker masker = SecretMasker.of(null, List.of(), List.of());
        ResultStore results = new ResultStore(Database.results(env.database()));
        TaskContext ctx = new TaskContext(env, results, new TaskLog(results, masker, "sync", "task"), masker);

        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        AtomicReference<Ending> ending = new AtomicReference<>();
        Sidecar sidecar = new Sidecar(ctx, new CommandHandler() {
            @Override
            public void onMessage(AirbyteMessage message) {
            }

            @Override
            public void onConnectorError(String message) {
            }

            @Override
            public int finish(Ending e) {
                ending.set(e);
                writing.countDown();
                try {
                    written.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
        });

        Thread main = Thread.ofPlatform().start(sidecar::run);
        assertTrue(writing.await(10, TimeUnit.SECONDS), "the end of output was not handled");
        Thread hook = Thread.ofPlatform().start(sidecar::terminated);
        hook.join(500);
        assertTrue(hook.isAlive(), "the SIGTERM hook returned while the ending was still being written");
        written.countDown();
        hook.join(5_000);
        main.join(5_000);
        assertFalse(hook.isAlive(), "the SIGTERM hook still waits after the ending was written");
        assertInstanceOf(Ending.EndOfOutput.class, ending.get());
    }
}
