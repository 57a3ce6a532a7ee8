package io.syncctl.worker.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Indicative only, not part of the suite (the name does not match surefire's patterns): launch rate
 * from a backlog of queued tasks through the real job server, with the mock API server in the same
 * JVM. Run: ./mvnw -B -q -pl worker -am verify -Dtest=LaunchRateBench -Dbench.tasks=300
 */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class LaunchRateBench extends WorkerTestBase {

    @Test
    void launchRateFromABacklog() throws Exception {
        int n = Integer.getInteger("bench.tasks", 300);
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(queue.accept(TaskType.CHECK));
        }
        long start = System.nanoTime();
        queue.enqueueLaunches(tasks);
        double enqueueSeconds = (System.nanoTime() - start) / 1e9;
        Object ids = tasks.stream().map(TaskRecord::id).toArray(java.util.UUID[]::new);
        Eventually.await(Duration.ofMinutes(10), n + " pods", () -> queue.row(
                "SELECT count(*)::text AS n FROM syncctl_task WHERE id = ANY (?) AND launched_at IS NOT NULL", ids)
                .get("n").equals(String.valueOf(n)));
        // launched_at is set right after the pod (and Secret) were created, on the database clock.
        var spread = queue.row("SELECT EXTRACT(EPOCH FROM max(launched_at) - min(launched_at))::text AS s,"
                + " EXTRACT(EPOCH FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY launched_at - accepted_at))::text AS p50"
                + " FROM syncctl_task WHERE id = ANY (?)", ids);
        double seconds = Double.parseDouble(spread.get("s"));
        System.out.printf("BENCH launch: %d tasks enqueued in %.1f s; first to last pod created in %.1f s = %.1f pods/s%n",
                n, enqueueSeconds, seconds, n / seconds);
    }
}
