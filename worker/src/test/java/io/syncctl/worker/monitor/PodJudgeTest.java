package io.syncctl.worker.monitor;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.finalise.EndingDescriber;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.support.PodStatuses;
import io.syncctl.worker.support.TestSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod statuses as the kubelet writes them, read into verdicts and described in words. */
class PodJudgeTest {
    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");
    private static final Map<String, String> LOGS = Map.of(
            "source", "", "init", "gunzip: invalid magic\n",
            "sidecar", "INFO reading\nERROR connection refused to db:5432\nFATAL giving up\n");

    private static Pod pod(TaskType type, PodStatus status) {
        Pod built = TaskPodBuilder.build(io.syncctl.worker.support.Tasks.record(type), TaskPayload.config("{}"),
                TestSettings.settings()).pod();
        Pod p = new PodBuilder(built).editMetadata().withCreationTimestamp(T.toString()).endMetadata().build();
        p.setStatus(status == null ? null : status);
        return p;
    }

    private static Pod withStatus(TaskType type, java.util.function.Function<Pod, PodStatus> status) {
        Pod p = pod(type, null);
        p.setStatus(status.apply(p));
        return p;
    }

    private static String describe(TaskType type, Pod p) {
        return EndingDescriber.describe(type, assertInstanceOf(PodVerdict.Ended.class, PodJudge.judge(p)), LOGS::get);
    }

    @Test
    void newPodIsStartingSinceItWasCreated() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class, PodJudge.judge(pod(TaskType.SPEC, null)));
        assertEquals(T, s.since());
        assertEquals("the pod was never scheduled", s.why());
    }

    @Test
    void unschedulableSaysWhy() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(pod(TaskType.CHECK, PodStatuses.unschedulable("0/3 nodes are available: 3 Insufficient memory."))));
        assertEquals("the pod cannot be scheduled (Unschedulable: 0/3 nodes are available: 3 Insufficient memory.)", s.why());
    }

    @Test
    void imagePullSaysWhichImage() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(withStatus(TaskType.CHECK, p -> PodStatuses.imagePullBackOff(p, T))));
        assertTrue(s.why().startsWith("image airbyte/source-postgres:3.6.2 cannot be pulled (ImagePullBackOff"), s.why());
    }

    @Test
    void busyInitContainerIsNoted() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.initRunning(p, T))));
        assertTrue(s.initContainerBusy());
    }

    @Test
    void runningSinceTheConnectorStarted() {
        PodVerdict.Running r = assertInstanceOf(PodVerdict.Running.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.running(p, T.plusSeconds(7)))));
        assertEquals(T.plusSeconds(7), r.since());
    }

    @Test
    void endingsAreDescribedByCause() {
        assertEquals("the init container failed with exit code 1; last lines:\ngunzip: invalid magic",
                describe(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.initFailed(p, 1, T))));
        assertEquals("the connector exited with code 3; last lines:\nINFO reading\nERROR connection refused to db:5432\nFATAL giving up",
                describe(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.ended(p, 3, "Error", 0, T))));
        assertEquals("the connector container ran out of memory (OOMKilled)",
                describe(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 137, "OOMKilled", 0, T))));
        assertTrue(describe(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 2, T)))
                .startsWith("the sidecar crashed with exit code 2; last lines:\nINFO reading"));
        assertEquals("the pod was evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 40Mi.",
                describe(TaskType.READ, pod(TaskType.READ, PodStatuses.evicted(T))));
        assertEquals("the pod exceeded its deadline (DeadlineExceeded): Pod was active on the node longer than the specified deadline",
                describe(TaskType.READ, pod(TaskType.READ, PodStatuses.deadlineExceeded(T))));
        assertEquals("the sidecar ended without recording a status",
                describe(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 0, T))));
        assertTrue(describe(TaskType.SPEC, withStatus(TaskType.SPEC, p -> PodStatuses.ended(p, 0, "Completed", 0, T)))
                .startsWith("the connector ended without a result"));
    }

    @Test
    void endedAtIsTheLastContainerEnd() {
        PodVerdict.Ended e = assertInstanceOf(PodVerdict.Ended.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 0, T))));
        assertEquals(T, e.at());
        assertEquals(0, e.source().code());
    }

    @Test
    void deletingPodIsStopping() {
        Pod p = withStatus(TaskType.READ, x -> PodStatuses.running(x, T));
        p.getMetadata().setDeletionTimestamp(T.plusSeconds(60).toString());
        assertInstanceOf(PodVerdict.Stopping.class, PodJudge.judge(p));
    }
}
