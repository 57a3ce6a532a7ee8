package io.syncctl.worker.it;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.kube.TransientApiFailure;
import io.syncctl.worker.launch.PodNames;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.TaskQueue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class LaunchTest extends WorkerTestBase {

    @Test
    void createsPodAndOwnedSecretThenMarksLaunched() throws Exception {
        TaskRecord task = queue.accept(TaskType.READ);
        worker().launcher().launch(task.id());

        Pod pod = kubelet.awaitPod(task.id());
        assertEquals(PodNames.pod(task), pod.getMetadata().getName());
        Secret secret = kubelet.client().secrets().inNamespace(NAMESPACE).withName(PodNames.secret(PodNames.pod(task))).get();
        assertEquals("Pod", secret.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(pod.getMetadata().getUid(), secret.getMetadata().getOwnerReferences().get(0).getUid());
        TaskRecord launched = queue.task(task.id());
        assertEquals(TaskPhase.LAUNCHED, launched.phase());
        assertEquals(pod.getMetadata().getName(), launched.podName());
        assertTrue(queue.result(task).get("description").startsWith("starting: pod "), queue.result(task).toString());

        // Running the job again (JobRunr retried it) changes nothing.
        worker().launcher().launch(task.id());
        assertEquals(1, kubelet.pods(task.id()).size());
    }

    @Test
    void adoptsAPodItCreatedBeforeDying() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        Pod previous = io.syncctl.worker.launch.TaskPodBuilder.build(task, io.syncctl.shared.payload.TaskPayload.config(TaskQueue.CONFIG),
                worker().settings()).pod();
        kubelet.client().pods().inNamespace(NAMESPACE).resource(previous).create();

        worker().launcher().launch(task.id());

        assertEquals(TaskPhase.LAUNCHED, queue.task(task.id()).phase());
        assertEquals(1, kubelet.pods(task.id()).size());
        assertTrue(kubelet.client().secrets().inNamespace(NAMESPACE).withName(PodNames.secret(PodNames.pod(task))).get() != null);
    }

    @Test
    void aPodOfAnotherTaskUnderOurNameIsAnError() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        kubelet.client().pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata()
                .withName(PodNames.pod(task)).withLabels(Map.of("app", "someone-else")).endMetadata()
                .withNewSpec().addNewContainer().withName("x").withImage("nginx").endContainer().endSpec().build()).create();

        worker().launcher().launch(task.id());

        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(task.id()).outcome());
        Map<String, String> result = queue.result(task);
        assertEquals("FAILED", result.get("status"));
        assertTrue(result.get("description").contains("already exists and does not belong to this task"), result.toString());
        assertTrue(kubelet.client().pods().inNamespace(NAMESPACE).withName(PodNames.pod(task)).get() != null,
                "someone else's pod is left alone");
        kubelet.client().pods().inNamespace(NAMESPACE).withName(PodNames.pod(task)).delete();
    }

    @Test
    void forbiddenFailsAtOnceWithTheApiMessage() throws Exception {
        TaskRecord task = queue.accept(TaskType.DISCOVER);
        server.expect().post().withPath("/api/v1/namespaces/test/pods")
                .andReturn(403, status(403, "Forbidden", "pods is forbidden: User \"system:serviceaccount:syncs:worker\" cannot create resource \"pods\""))
                .once();

        worker().launcher().launch(task.id());

        TaskRecord ended = queue.task(task.id());
        assertEquals(TaskPhase.DONE, ended.phase());
        assertEquals(TaskOutcome.CREATE_FAILED, ended.outcome());
        Map<String, String> result = queue.result(task);
        assertEquals("FAILED", result.get("status"));
        assertTrue(result.get("description").contains("Kubernetes API answered 403: pods is forbidden"), result.toString());
        assertFalse(result.get("description").contains("connector-pw-123"));
        assertTrue(queue.payloadCleared(task));
        assertTrue(kubelet.pods(task.id()).isEmpty());
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() throws Exception {
        TaskRecord task = queue.accept(TaskType.SPEC);
        server.expect().post().withPath("/api/v1/namespaces/test/pods").andReturn(500, status(500, "InternalError", "etcdserver: leader changed")).once();
        server.expect().post().withPath("/api/v1/namespaces/test/pods").andReturn(429, status(429, "TooManyRequests", "slow down")).once();

        TransientApiFailure first = assertThrows(TransientApiFailure.class, () -> worker().launcher().launch(task.id()));
        assertTrue(first.getMessage().contains("500") && first.getMessage().contains("leader changed"), first.getMessage());
        assertThrows(TransientApiFailure.class, () -> worker().launcher().launch(task.id()));
        assertEquals(TaskPhase.QUEUED, queue.task(task.id()).phase());

        worker().launcher().launch(task.id());
        assertEquals(TaskPhase.LAUNCHED, queue.task(task.id()).phase());
        assertEquals(1, kubelet.pods(task.id()).size());
    }

    @Test
    void givesUpAfterTheRetryWindowWithTheLastReason() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        server.expect().post().withPath("/api/v1/namespaces/test/pods").andReturn(503, status(503, "ServiceUnavailable", "apiserver overloaded")).times(2);

        assertThrows(TransientApiFailure.class, () -> worker().launcher().launch(task.id()));
        // SYNCCTL_LAUNCH_GIVE_UP is 3s in tests; pretend the first failure was long ago.
        queue.execute("UPDATE syncctl_task SET launch_failing_since = now() - interval '10 minutes' WHERE id = ?", task.id());
        worker().launcher().launch(task.id());

        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(task.id()).outcome());
        String description = queue.result(task).get("description");
        assertTrue(description.contains("gave up after") && description.contains("503: apiserver overloaded"), description);
    }

    static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message.replace("\"", "\\\"")
                + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }
}
