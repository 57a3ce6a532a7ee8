package io.syncctl.devkit.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.syncctl.devkit.source.SourceRun.catalog;
import static io.syncctl.devkit.source.SourceRun.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector as a separate process, as a pod runs it: real stdout, stderr and exit code. */
class SourceProcessTest {
    @TempDir
    Path dir;

    private SourceRun exec(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                SourceSyntheticMain.class.getName()));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "source finished");
        return SourceRun.parse(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    @Test
    void readsAsAProcess() throws Exception {
        SourceRun run = exec("read", "--config", write(dir, "config.json", "{\"records_per_stream\":20000}").toString(),
                "--catalog", write(dir, "catalog.json", catalog("stream_1", "full_refresh", "stream_2", "full_refresh")).toString());

        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals(40_000, run.records().size());
    }

    @Test
    void crashesWithExitCode1AfterFlushing() throws Exception {
        SourceRun run = exec("read", "--config", write(dir, "config.json", "{\"crash_after\":1234}").toString(),
                "--catalog", write(dir, "catalog.json", catalog("stream_1", "full_refresh", "stream_2", "full_refresh")).toString());

        assertEquals(1, run.exitCode());
        assertEquals(1000, run.records("stream_1").size());
        assertEquals(234, run.records("stream_2").size());
        assertTrue(run.stderr().contains("crash_after"), run.stderr());
    }
}
