package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** The watch cannot die silently: a stopped informer shows in readiness, is replaced, and the new one catches up. */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class WatchRecoveryTest extends WorkerTestBase {

    @Test
    void aStoppedInformerMakesTheWorkerUnreadyIsReplacedAndTheEndMissedMeanwhileIsActedOn() throws Exception {
        Eventually.await("the informer to list the pods", () -> RestAssured.get("/q/health/ready").statusCode() == 200);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'pod-watch' }.data.informer", equalTo("watching"));
        TaskRecord task = queue.accept(TaskType.CHECK);
        worker().launcher().launch(task.id());
        Pod pod = kubelet.awaitPod(task.id());
        kubelet.run(pod);

        SharedIndexInformer<Pod> died = worker().watch().informer();
        died.stop(); // what a watch error fabric8 does not recover from leaves behind
        if (worker().watch().informer() == died) { // unless the periodic check replaced it in these few ms
            RestAssured.get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'pod-watch' }.data.informer", equalTo("stopped"));
        }
        // The task ends while nobody watches.
        queue.sidecarSucceeds(task);
        kubelet.succeed(pod);

        Eventually.await(Duration.ofSeconds(30), "a new informer, listed and watching",
                () -> RestAssured.get("/q/health/ready").statusCode() == 200);
        assertNotSame(died, worker().watch().informer());
        Eventually.await("the missed end acted on", () -> queue.task(task.id()).phase() == TaskPhase.DONE);
        assertEquals(TaskOutcome.SUCCESS, queue.task(task.id()).outcome());
        Eventually.await("the ended pod removed", () -> kubelet.pods(task.id()).isEmpty());
    }
}
