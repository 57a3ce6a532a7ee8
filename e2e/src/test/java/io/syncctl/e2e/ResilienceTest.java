package io.syncctl.e2e;

import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Processes dying at bad moments: accepted tasks still run, and run once. */
@Order(3)
class ResilienceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static Stack stack;
    private static Results results;

    @BeforeAll
    static void start() {
        stack = Stack.get();
        results = new Results(stack.db());
    }

    @Test
    void aWorkerKilledMidReadStillFinishesTheTaskExactlyOnce() throws IOException {
        String destination = stack.destinationSchema("resilience");
        stack.api().read(SOURCE, VERSION, "kill-worker", "kill-worker-sync", Synthetic.readBody(Synthetic.config("streams", 1,
                "records_per_stream", 3000, "checkpoint_every", 100, "incremental", true, "sleep_ms_per_record", 10),
                Synthetic.catalog(1, true), null, stack.postgresDestination(destination)), "tableNamePrefix", "kill_").ok();
        results.streamProgress("kill-worker", "stream_1", 100, TIMEOUT);

        stack.killWorker(0);

        Map<String, Object> row = results.read("kill-worker", TIMEOUT);
        assertEquals("SUCCESS", row.get("status"), row.toString());
        assertEquals(1, stack.pods().forRead("kill-worker").size(), stack.pods().all().toString());
        assertEquals(Map.of("n", 3000L, "d", 3000L), Map.copyOf(results.db().row(
                "SELECT count(*) AS n, count(DISTINCT id) AS d FROM \"" + destination + "\".kill_stream_1").orElseThrow()));
        assertEquals(1, results.db().count("SELECT count(*) FROM source_task WHERE sync_id = 'kill-worker-sync'"));
        // The worker's finalisation follows the sidecar's result; then exactly one worker has ended it.
        Await.until("the task finalised", TIMEOUT, () -> "DONE".equals(results.db()
                .row("SELECT phase FROM syncctl_task WHERE task_id = 'kill-worker'").orElseThrow().get("phase")));
        Await.until("a worker logged the ending", TIMEOUT, () -> endingsLogged("task=kill-worker ended") > 0);
        assertEquals(1, endingsLogged("task=kill-worker ended"), "workers that ended the task");
    }

    @Test
    void anApiKilledRightAfterAnswering200StillHasItsTaskRun() {
        Api.Answer answer = stack.spareApi().check(SOURCE, VERSION, "killed-api-check", Synthetic.config()).ok();
        stack.spareApiProcess().kill();

        assertEquals("SUCCESS", results.check("killed-api-check", TIMEOUT).get("status"));
        assertEquals(1, stack.pods().forTask(answer.taskId()).size(), stack.pods().all().toString());
    }

    /** How many times any worker logged ending a task (each worker's log, restarts included). */
    private static long endingsLogged(String marker) throws IOException {
        Pattern line = Pattern.compile(Pattern.quote(marker));
        long n = 0;
        try (var logs = Files.list(stack.logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("worker-")).toList()) {
                n += Files.readAllLines(log).stream().filter(l -> line.matcher(l).find()).count();
            }
        }
        return n;
    }
}
