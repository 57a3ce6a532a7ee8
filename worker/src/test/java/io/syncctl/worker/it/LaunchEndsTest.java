package io.syncctl.worker.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskPhase;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.jobs.LaunchSweep;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import io.syncctl.worker.support.TaskQueue;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every accepted task ends: a launch that can never succeed ends its task CREATE_FAILED with the reason. */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class LaunchEndsTest extends WorkerTestBase {

    @Test
    void aLaunchJobWhoseRetriesAreUsedUpEndsItsTaskWithTheLastError() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        server.expect().post().withPath("/api/v1/namespaces/test/pods")
                .andReturn(500, LaunchTest.status(500, "InternalError", "etcdserver: request timed out")).once();

        queue.enqueueLaunch(task, 0); // the job server runs it; its one failure is its last

        TaskRecord ended = Eventually.await(Duration.ofSeconds(30), "the task to end",
                () -> queue.task(task.id()).phase().terminal() ? queue.task(task.id()) : null);
        assertEquals(TaskOutcome.CREATE_FAILED, ended.outcome());
        Map<String, String> result = queue.result(task);
        assertEquals("FAILED", result.get("status"));
        String description = result.get("description");
        assertTrue(description.contains("the launch failed 1 time and will not be retried")
                && description.contains("etcdserver: request timed out"), description);
        assertFalse(description.contains("connector-pw-123"), description);
        assertTrue(queue.payloadCleared(task));
        assertEquals("FAILED", queue.launchJobState(task));
    }

    @Test
    void aFailureJobRunrWillRetryDoesNotEndTheTask() throws Exception {
        TaskRecord task = queue.accept(TaskType.CHECK);
        server.expect().post().withPath("/api/v1/namespaces/test/pods")
                .andReturn(500, LaunchTest.status(500, "InternalError", "etcdserver: leader changed")).once();

        queue.enqueueLaunch(task, 1); // fails once, retried after 2 s, then creates the pod

        TaskRecord launched = Eventually.await(Duration.ofSeconds(40), "the retried launch",
                () -> queue.task(task.id()).phase() == TaskPhase.LAUNCHED ? queue.task(task.id()) : null);
        assertEquals(null, launched.outcome());
        assertEquals(1, kubelet.pods(task.id()).size());
    }

    @Test
    void aPayloadNoKeyOpensEndsTheTaskAtOnceNamingTheKeyId() throws Exception {
        TaskRecord task = queue.accept(TaskType.DISCOVER);
        byte[] otherKey = new byte[32];
        otherKey[0] = 42;
        byte[] sealed = new PayloadCipher(otherKey).encrypt(task.id(), TaskPayload.config(TaskQueue.CONFIG));
        queue.execute("UPDATE syncctl_task SET payload = ? WHERE id = ?", sealed, task.id());

        worker().launcher().launch(task.id()); // returns: nothing to retry

        TaskRecord ended = queue.task(task.id());
        assertEquals(TaskOutcome.CREATE_FAILED, ended.outcome());
        String description = queue.result(task).get("description");
        assertTrue(description.contains("cannot decrypt the payload of task " + task.id())
                && description.contains("key id " + PayloadCipher.keyIdOf(otherKey)), description);
        assertTrue(kubelet.pods(task.id()).isEmpty());
    }

    @Test
    void theSweepEndsQueuedTasksWhoseLaunchJobIsGoneAndLeavesWaitingOnesAlone() throws Exception {
        LaunchSweep sweep = new LaunchSweep(worker().db(), worker().finaliser(), worker().settings().common().internalSchema(),
                Duration.ZERO);
        TaskRecord noJob = queue.accept(TaskType.CHECK);
        TaskRecord deleted = queue.accept(TaskType.READ);
        queue.scheduleLaunch(deleted);
        TaskRecord waiting = queue.accept(TaskType.SPEC);
        queue.scheduleLaunch(waiting);
        queue.deleteLaunchJob(deleted);
        assertEquals("DELETED", queue.launchJobState(deleted));

        assertTrue(sweep.sweep() >= 2);

        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(noJob.id()).outcome());
        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(deleted.id()).outcome());
        Map<String, String> read = queue.result(deleted);
        assertEquals("FAILED", read.get("status"));
        assertTrue(read.get("description").contains("its launch job was deleted"), read.toString());
        assertEquals(TaskPhase.QUEUED, queue.task(waiting.id()).phase(), "a task whose job still waits stays queued");
        queue.deleteLaunchJob(waiting);
        assertEquals(1, sweep.sweep());
        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(waiting.id()).outcome());
    }

    @Test
    void oneReplicaSweepsAtATime() throws Exception {
        LaunchSweep sweep = new LaunchSweep(worker().db(), worker().finaliser(), worker().settings().common().internalSchema(),
                Duration.ZERO);
        TaskRecord noJob = queue.accept(TaskType.CHECK);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                ps.setString(1, "syncctl.launch-sweep." + worker().settings().common().internalSchema());
                ps.execute();
            }
            assertEquals(0, sweep.sweep());
            assertEquals(TaskPhase.QUEUED, queue.task(noJob.id()).phase());
            other.rollback();
        }
        assertTrue(sweep.sweep() >= 1);
        assertEquals(TaskOutcome.CREATE_FAILED, queue.task(noJob.id()).outcome());
    }

    @Test
    void theSqlJobIdIsJobIdsLaunch() throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + LaunchSweep.launchJobIdSql("t.id") + " FROM (SELECT ?::uuid AS id) t")) {
            for (int i = 0; i < 50; i++) {
                UUID task = UUID.randomUUID();
                ps.setString(1, task.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(JobIds.launch(task).toString(), rs.getString(1));
                }
            }
        }
    }
}
