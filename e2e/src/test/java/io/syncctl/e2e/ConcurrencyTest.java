package io.syncctl.e2e;

import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many tasks at once: all finish, each in exactly one pod. */
@Order(4)
class ConcurrencyTest {
    private static final int TASKS = 200;
    private static Stack stack;

    @BeforeAll
    static void workersThatWaitForAFullNode() {
        stack = Stack.get();
        // 200 pods on a node of capacity 8 wait in Pending far longer than the suite's short init
        // timeout: that is the cluster being full, not a task failing. (A killed worker comes back too.)
        stack.restartWorkers(Map.of("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "900"));
    }

    @Test
    void twoHundredChecksSubmittedAtOnceAllFinishEachInOnePod() throws Exception {
        Api api = stack.api();
        List<Api.Answer> answers;
        try (ExecutorService clients = Executors.newFixedThreadPool(20)) {
            List<Future<Api.Answer>> sent = IntStream.range(0, TASKS).mapToObj(i -> clients.submit(
                    () -> api.check(Stack.CHECK_ONLY_SOURCE, VERSION, "many-" + i, Synthetic.config("api_key", "k-" + i)).ok()))
                    .toList();
            answers = sent.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }

        Await.until(TASKS + " check results", Duration.ofSeconds(300), () -> stack.db().count(
                "SELECT count(*) FROM source_check WHERE key LIKE 'many-%'") == TASKS);
        assertEquals(TASKS, stack.db().count("SELECT count(*) FROM source_check WHERE key LIKE 'many-%' AND status = 'SUCCESS'"));
        for (Api.Answer a : answers) {
            assertEquals(1, stack.pods().forTask(a.taskId()).size(), "pods of task " + a.taskId());
        }
    }
}
