package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The whole worker as deployed: jobs from the shared JobRunr queue, health, metrics, a database restart. */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class EndToEndTest extends WorkerTestBase {
    private static final Duration JOB_PICKUP = Duration.ofSeconds(30);

    private void runToSuccess(TaskRecord task) throws Exception {
        queue.enqueueLaunch(task);
        Pod pod = Eventually.await(JOB_PICKUP, "pod from the launch job", () -> kubelet.pods(task.id()).stream().findFirst().orElse(null));
        kubelet.run(pod);
        queue.sidecarSucceeds(task);
        kubelet.succeed(pod);
        Eventually.await("task done", () -> queue.task(task.id()).phase() == TaskPhase.DONE);
        assertEquals(TaskOutcome.SUCCESS, queue.task(task.id()).outcome());
    }

    @Test
    void queuedJobsLaunchAndCancel() throws Exception {
        runToSuccess(queue.accept(TaskType.DISCOVER));

        TaskRecord read = queue.accept(TaskType.READ);
        queue.enqueueLaunch(read);
        Pod pod = Eventually.await(JOB_PICKUP, "read pod", () -> kubelet.pods(read.id()).stream().findFirst().orElse(null));
        kubelet.run(pod);
        queue.enqueueCancel(read);
        Eventually.await(JOB_PICKUP, "read cancelled", () -> queue.task(read.id()).phase() == TaskPhase.CANCELLED);
        assertEquals("CANCELLED", queue.result(read).get("status"));

        // Jobs (shown on the dashboard) and task logs carry references only, never the connector's secrets.
        assertEquals("0", queue.row("SELECT count(*)::text AS n FROM jobrunr_jobs WHERE jobasjson LIKE '%connector-pw-123%'"
                + " OR jobasjson LIKE '%dest-pw%'").get("n"));
        assertEquals("0", queue.row("SELECT count(*)::text AS n FROM task_log WHERE message LIKE '%connector-pw-123%'").get("n"));
    }

    /**
     * The launch job succeeds once the pod exists; its labels tell the operator on the JobRunr dashboard
     * what the task is and how it ended (JobRunr's stored job is what the dashboard shows).
     */
    @Test
    void theLaunchJobShowsTypePackageAndHowTheTaskEnded() throws Exception {
        TaskRecord ok = queue.accept(TaskType.DISCOVER);
        runToSuccess(ok);
        Eventually.await("the outcome on the launch job", () -> queue.launchJobLabels(ok).contains("outcome:SUCCESS"));
        assertEquals(List.of("type:discover", "package:" + ok.pkg(), "outcome:SUCCESS"), labels(ok));

        TaskRecord oom = queue.accept(TaskType.CHECK);
        queue.enqueueLaunch(oom);
        Pod pod = Eventually.await(JOB_PICKUP, "check pod", () -> kubelet.pods(oom.id()).stream().findFirst().orElse(null));
        kubelet.run(pod);
        kubelet.end(pod, 137, "OOMKilled", 0, "", "");
        Eventually.await("task failed", () -> queue.task(oom.id()).outcome() == TaskOutcome.FAILED);
        Eventually.await("the failure on the launch job", () -> queue.launchJobLabels(oom).contains("outcome:FAILED"));
        assertEquals(List.of("type:check", "package:" + oom.pkg(), "outcome:FAILED (out_of_memory)"), labels(oom));
        assertEquals("SUCCEEDED", queue.row("SELECT state FROM jobrunr_jobs WHERE id = ?",
                JobIds.launch(oom.id()).toString()).get("state"));
    }

    private List<String> labels(TaskRecord t) throws Exception {
        return List.of(new ObjectMapper().readValue(queue.launchJobLabels(t), String[].class));
    }

    @Test
    void healthAndMetrics() throws Exception {
        runToSuccess(queue.accept(TaskType.CHECK));
        RestAssured.get("/q/health/live").then().statusCode(200).body(containsString("job-server"));
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'dependencies' }.data.database", equalTo("reachable"))
                .body("checks.find { it.name == 'dependencies' }.data.kubernetes", equalTo("reachable"));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("syncctl_tasks_finished_total{failure=\"none\",instance=\"worker-test\",outcome=\"SUCCESS\",type=\"check\"}"),
                        containsString("syncctl_launch_latency_seconds"),
                        containsString("syncctl_finalise_latency_seconds"),
                        containsString("syncctl_pods{instance=\"worker-test\",phase=\"Running\"}"),
                        containsString("syncctl_queue_oldest_age_seconds"),
                        not(containsString("connector-pw-123")));
    }

    @Test
    void recoversFromADatabaseRestart() throws Exception {
        // The restart hits a worker that is already taking jobs, as in production. (A cut within the
        // job server's first second can leave JobRunr's startup tasks failed and the server idle:
        // a known gap, see worker/README.md.)
        runToSuccess(queue.accept(TaskType.CHECK));
        DatabaseProxyResource.proxy().cut();
        try {
            Eventually.await(Duration.ofSeconds(20), "readiness down while the database is gone",
                    () -> RestAssured.get("/q/health/ready").statusCode() == 503);
            Thread.sleep(3000);
        } finally {
            DatabaseProxyResource.proxy().restore();
        }
        Eventually.await(Duration.ofSeconds(30), "readiness back", () -> RestAssured.get("/q/health/ready").statusCode() == 200);
        Eventually.await(Duration.ofSeconds(45), "job server running", () -> RestAssured.get("/q/health/live").statusCode() == 200);
        runToSuccess(queue.accept(TaskType.SPEC));
    }
}
