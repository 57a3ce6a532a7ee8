package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.Launcher;
import io.syncctl.e2e.support.ManagedProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./syncctl demo --image} and {@code ./syncctl try} with the shell-script connector
 * {@code devkit/examples/source-hello.sh}, run as a user runs them: each starts its own stack (local
 * cluster, api, two workers) through the scripts, so this class does not use the suite's stack. It
 * runs first, while no other stack loads the machine.
 */
@Order(0)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TryConnectorTest {
    private static final String IMAGE = "syncctl/source-hello";
    /** Relative, as a user in the repository root types it: the launcher makes it absolute for the pods. */
    private static final String COMMAND = "devkit/examples/source-hello.sh";
    private static final String SECRET = "try-secret-7d1e";
    private static final Duration STACK_RUN = Duration.ofMinutes(8);

    @Test
    @Order(1)
    void demoWithAnImageRunsItsStepsAgainstThatConnector() throws IOException {
        Launcher demo = new Launcher("demo_once");
        Path config = writeConfig(demo, "demo-once.json", "{\"greeting\":\"hello\",\"count\":3,\"api_key\":\"" + SECRET + "\"}");

        Launcher.Run run = demo.run(STACK_RUN, "demo", "--once", "--image", IMAGE + "=" + COMMAND, "--config", config.toString());

        String out = run.all();
        assertEquals(0, run.exitCode(), out);
        assertTrue(out.contains("source_spec: spec stored: {\"documentationUrl\": \"https://example.com/source-hello\""), out);
        assertTrue(out.contains("source_check: SUCCESS"), out);
        assertTrue(out.contains("source_catalog: SUCCESS streams: greetings, numbers"), out);
        assertTrue(out.contains("source_task: SUCCESS"), out);
        assertStreamLine(out, "greetings", 3, demo.destinationSchema() + ".source_hello_greetings", 3);
        assertStreamLine(out, "numbers", 3, demo.destinationSchema() + ".source_hello_numbers", 3);
        assertTrue(out.contains("greetings | {\"id\": 3}"), "stored state printed: " + out);
        assertTrue(out.contains("demo finished: every step succeeded"), out);

        Db db = demo.db();
        Map<String, Object> task = db.row("SELECT task_id, sync_id, status FROM source_task WHERE package = ?", IMAGE).orElseThrow();
        assertEquals("SUCCESS", task.get("status"));
        assertEquals(1, db.count("SELECT count(*) FROM source_state WHERE sync_id = ? AND stream = 'greetings' AND state = '{\"id\":3}'::jsonb",
                task.get("sync_id")));
        assertEquals(List.of("hello, world 1", "hello, world 2", "hello, world 3"),
                db.rows("SELECT message FROM \"" + demo.destinationSchema() + "\".source_hello_greetings ORDER BY id").stream()
                        .map(r -> r.get("message")).toList());
        assertEquals(14L, db.count("SELECT sum(square) FROM \"" + demo.destinationSchema() + "\".source_hello_numbers"));
        assertNoSecret(demo, out);
        assertFalse(Files.exists(demo.stateDir().resolve("stack.env")), "--once leaves no stack to reuse");
    }

    @Test
    @Order(2)
    void tryReusesARunningDemoAndPrintsTheRecordsItLoaded() throws IOException {
        Launcher launcher = new Launcher("try");
        ManagedProcess demo = launcher.start("demo", "--image", IMAGE + "=" + COMMAND);
        try {
            Await.until("the demo to finish its steps and keep running", STACK_RUN, () -> {
                if (!demo.isAlive()) {
                    throw new AssertionError("the demo exited:\n" + demo.logText());
                }
                return demo.logText().contains("running; send your own requests");
            });
            assertTrue(demo.logText().contains("demo finished: every step succeeded"), demo.logText());
            assertTrue(Files.exists(launcher.stateDir().resolve("stack.env")));

            Path config = writeConfig(launcher, "try.json", "{\"greeting\":\"hey\",\"count\":5,\"api_key\":\"" + SECRET + "\"}");
            Launcher.Run run = launcher.run(Duration.ofMinutes(4), "try", "--image", IMAGE + "=" + COMMAND,
                    "--config", config.toString(), "--streams", "greetings", "--records-to", "stdout");

            assertEquals(0, run.exitCode(), run.all());
            assertTrue(run.stderr().contains("reusing the running stack at " + launcher.apiUrl()), run.stderr());
            assertTrue(run.stderr().contains("catalog: the discovered catalog, streams greetings"), run.stderr());
            assertStreamLine(run.stderr(), "greetings", 5, launcher.destinationSchema() + ".source_hello_greetings", 5);
            assertFalse(run.stderr().contains(" numbers  |"), "only the selected stream is read: " + run.stderr());
            assertTrue(run.stderr().contains("greetings | {\"id\": 5}"), run.stderr());
            assertTrue(run.stderr().contains("| syncctl/source-hello | read done"), "the connector's log lines: " + run.stderr());
            assertTrue(run.stderr().contains("ok: spec, check, discover and read of syncctl/source-hello:dev succeeded"), run.stderr());
            // stdout holds the records and nothing else: the greetings table, replaced by this read.
            List<JsonNode> records = Arrays.stream(run.stdout().split("\n")).filter(l -> !l.isBlank()).map(Db::json).toList();
            assertEquals(IntStream.rangeClosed(1, 5).mapToObj(i -> "greetings " + i + " hey, world " + i).toList(),
                    records.stream().map(r -> r.path("stream").asText() + " " + r.path("data").path("id").asInt() + " "
                            + r.path("data").path("message").asText()).sorted().toList());
            Db db = launcher.db();
            Map<String, Object> task = db.row("SELECT task_id, description FROM source_task ORDER BY started_at DESC LIMIT 1").orElseThrow();
            assertEquals(List.of("greetings"), fieldNames(Db.json(task.get("description"))));
            assertEquals(5, db.tableRows(launcher.destinationSchema(), "source_hello_greetings"));
            assertEquals(3, db.tableRows(launcher.destinationSchema(), "source_hello_numbers"), "the demo's numbers, untouched");
            assertNoSecret(launcher, run.all() + demo.logText());

            // A failing check ends the try there, with the connector's message and its log lines.
            Path bad = writeConfig(launcher, "bad.json", "{\"greeting\":\"\"}");
            Launcher.Run failed = launcher.run(Duration.ofMinutes(3), "try", "--image", IMAGE + "=" + COMMAND, "--config", bad.toString());
            assertNotEquals(0, failed.exitCode(), failed.all());
            assertTrue(failed.stderr().contains("FAILED at check: the connector says: FAILED greeting must not be empty"), failed.all());
            assertTrue(failed.stdout().contains("| syncctl/source-hello | checking the config"), failed.all());
            assertFalse(failed.all().contains("== discover"), failed.all());

            // The running stack cannot run another command for the image: said at once, nothing started.
            Launcher.Run other = launcher.run(Duration.ofMinutes(1), "try", "--image", IMAGE + "=" + "devkit/bin/source-synthetic",
                    "--config", config.toString());
            assertNotEquals(0, other.exitCode());
            assertTrue(other.stderr().contains("does not run image " + IMAGE), other.all());
        } finally {
            demo.stop(Duration.ofSeconds(30));
        }
        assertFalse(Files.exists(launcher.stateDir().resolve("stack.env")), "the stopped demo withdraws its stack");
        assertFalse(answers(launcher.apiUrl() + "/health"), "the demo's api stopped with it");
    }

    /** A row of the per-stream counts table: stream | status | records | bytes | table | rows. */
    private static void assertStreamLine(String out, String stream, int records, String table, int rows) {
        Pattern line = Pattern.compile("(?m)^ " + stream + " +\\| SUCCESS \\| +" + records + " \\| +\\d+ \\| "
                + Pattern.quote(table) + " +\\| +" + rows + "\\s*$");
        assertTrue(line.matcher(out).find(), "per-stream line for " + stream + " in:\n" + out);
    }

    private static void assertNoSecret(Launcher launcher, String output) throws IOException {
        assertFalse(output.contains(SECRET), "the connector's secret in the output");
        try (var logs = Files.list(launcher.stateDir().resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertFalse(Files.readString(log).contains(SECRET), "the connector's secret in " + log);
            }
        }
        assertEquals(0, launcher.db().count("SELECT count(*) FROM task_log WHERE message LIKE ?", "%" + SECRET + "%"));
    }

    private static Path writeConfig(Launcher launcher, String name, String json) throws IOException {
        Path file = Files.createDirectories(launcher.stateDir()).resolve(name);
        Files.writeString(file, json);
        return file;
    }

    private static List<String> fieldNames(JsonNode node) {
        return java.util.stream.StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false)
                .collect(Collectors.toList());
    }

    private static boolean answers(String url) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
