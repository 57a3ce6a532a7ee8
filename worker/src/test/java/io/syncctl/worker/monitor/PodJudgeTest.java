package io.syncctl.worker.monitor;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.TaskType;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.worker.finalise.Ending;
import io.syncctl.worker.finalise.EndingDescriber;
import io.syncctl.worker.finalise.Failure;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.support.PodStatuses;
import io.syncctl.worker.support.TestSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    private static Failure failure(TaskType type, Pod p) {
        return EndingDescriber.failure(type, assertInstanceOf(PodVerdict.Ended.class, PodJudge.judge(p)), LOGS::get);
    }

    @Test
    void newPodIsStartingSinceItWasCreated() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class, PodJudge.judge(pod(TaskType.SPEC, null)));
        assertEquals(T, s.since());
        assertEquals(new PodVerdict.Holdup.Waiting("the pod was never scheduled"), s.holdup());
        assertEquals("the pod was never scheduled", s.why());
    }

    @Test
    void unschedulableSaysWhy() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(pod(TaskType.CHECK, PodStatuses.unschedulable("0/3 nodes are available: 3 Insufficient memory."))));
        assertEquals(new PodVerdict.Holdup.Unschedulable("Unschedulable", "0/3 nodes are available: 3 Insufficient memory."),
                s.holdup());
        assertEquals("the pod cannot be scheduled (Unschedulable: 0/3 nodes are available: 3 Insufficient memory.)", s.why());
        assertFalse(s.scheduled(), "waiting for a node is not starting: it has a bound of its own");
        Failure timedOut = new Failure.ScheduleTimeout(java.time.Duration.ofMinutes(30), s.holdup());
        assertEquals(TaskOutcome.SCHEDULE_TIMEOUT, timedOut.outcome());
        assertEquals(ReadStatus.FAILED, timedOut.status());
        assertEquals("the pod found no room in the cluster within 30 min: " + s.why(), timedOut.describe());
    }

    @Test
    void theInitTimeoutCountsFromWhenThePodWasScheduled() {
        assertNull(assertInstanceOf(PodVerdict.Starting.class, PodJudge.judge(pod(TaskType.SPEC, null))).scheduledAt());
        // The kubelet's start time, when the PodScheduled condition carries no time.
        PodVerdict.Starting init = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(withStatus(TaskType.CHECK, p -> PodStatuses.initRunning(p, T.plusSeconds(600)))));
        assertEquals(T.plusSeconds(600), init.scheduledAt());
        assertEquals(T, init.since());
        // The condition's own time first.
        PodStatus bound = PodStatuses.initRunning(pod(TaskType.CHECK, null), T.plusSeconds(700));
        bound.getConditions().getFirst().setLastTransitionTime(T.plusSeconds(650).toString());
        assertEquals(T.plusSeconds(650), assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(pod(TaskType.CHECK, bound))).scheduledAt());
    }

    @Test
    void aDeletedPodIsStoppingUntilItsGracePeriodEnds() {
        Pod p = withStatus(TaskType.READ, x -> PodStatuses.running(x, T));
        p.getMetadata().setDeletionTimestamp(T.plusSeconds(60).toString());
        assertEquals(new PodVerdict.Stopping(T.plusSeconds(60)), PodJudge.judge(p));
        Failure lost = new Failure.NodeLost(java.time.Duration.ofSeconds(150));
        assertEquals(TaskOutcome.POD_DISAPPEARED, lost.outcome());
        assertEquals("pod disappeared: its node was lost (the pod was still Terminating 2 min 30 s after its grace period ended)"
                + " before the task finished; the pod was force-deleted", lost.describe());
    }

    @Test
    void imagePullSaysWhichImage() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(withStatus(TaskType.CHECK, p -> PodStatuses.imagePullBackOff(p, T))));
        PodVerdict.Holdup.ImagePull pull = assertInstanceOf(PodVerdict.Holdup.ImagePull.class, s.holdup());
        assertEquals("airbyte/source-postgres:3.6.2", pull.image());
        assertEquals("ImagePullBackOff", pull.reason());
        assertTrue(s.why().startsWith("image airbyte/source-postgres:3.6.2 cannot be pulled (ImagePullBackOff"), s.why());
        Failure timedOut = Failure.NotStarted.of(180, s.holdup(), "");
        assertEquals(new Failure.ImagePull(180, pull, ""), timedOut);
        assertEquals("image_pull", timedOut.code());
    }

    @Test
    void busyInitContainerIsNoted() {
        PodVerdict.Starting s = assertInstanceOf(PodVerdict.Starting.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.initRunning(p, T))));
        assertTrue(s.initContainerBusy());
        Failure timedOut = Failure.NotStarted.of(180, s.holdup(), "waiting for /secret/config.gz\n");
        assertInstanceOf(Failure.InitTimeout.class, timedOut);
        assertEquals("the pod did not start within 180 s: the init container has not finished; its last lines:\n"
                + "waiting for /secret/config.gz", timedOut.describe());
    }

    @Test
    void runningSinceTheConnectorStarted() {
        PodVerdict.Running r = assertInstanceOf(PodVerdict.Running.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.running(p, T.plusSeconds(7)))));
        assertEquals(T.plusSeconds(7), r.since());
    }

    @Test
    void endingsAreTypedByCause() {
        assertEquals(new Failure.InitFailed(1, "gunzip: invalid magic\n"),
                failure(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.initFailed(p, 1, T))));
        assertEquals(new Failure.ConnectorExit(3, LOGS.get("sidecar")),
                failure(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.ended(p, 3, "Error", 0, T))),
                "the source container logged nothing: its stderr came through the sidecar");
        assertEquals(new Failure.OutOfMemory("connector"),
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 137, "OOMKilled", 0, T))));
        assertEquals(new Failure.SidecarCrash(2, LOGS.get("sidecar")),
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 2, T))));
        assertInstanceOf(Failure.Evicted.class, failure(TaskType.READ, pod(TaskType.READ, PodStatuses.evicted(T))));
        assertInstanceOf(Failure.DeadlineExceeded.class, failure(TaskType.READ, pod(TaskType.READ, PodStatuses.deadlineExceeded(T))));
        assertEquals(new Failure.NoResult(TaskType.READ, ""),
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 0, T))));
        assertInstanceOf(Failure.NoResult.class,
                failure(TaskType.SPEC, withStatus(TaskType.SPEC, p -> PodStatuses.ended(p, 0, "Completed", 0, T))));
    }

    @Test
    void endingsAreDescribedInWordsAUserCanActOn() {
        assertEquals("the init container failed with exit code 1; last lines:\ngunzip: invalid magic",
                failure(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.initFailed(p, 1, T))).describe());
        assertEquals("the connector exited with code 3; last lines:\nINFO reading\nERROR connection refused to db:5432\nFATAL giving up",
                failure(TaskType.CHECK, withStatus(TaskType.CHECK, p -> PodStatuses.ended(p, 3, "Error", 0, T))).describe());
        assertEquals("the connector container ran out of memory (OOMKilled)",
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 137, "OOMKilled", 0, T))).describe());
        assertEquals("the sidecar crashed with exit code 2; last lines:\n" + LOGS.get("sidecar").strip(),
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 2, T))).describe());
        assertEquals("the pod was evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 40Mi.",
                failure(TaskType.READ, pod(TaskType.READ, PodStatuses.evicted(T))).describe());
        assertEquals("the pod exceeded its deadline (DeadlineExceeded): Pod was active on the node longer than the specified deadline",
                failure(TaskType.READ, pod(TaskType.READ, PodStatuses.deadlineExceeded(T))).describe());
        assertEquals("the sidecar ended without recording a status",
                failure(TaskType.READ, withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 0, T))).describe());
        assertEquals("the connector ended without a result; last lines:\n" + LOGS.get("sidecar").strip(),
                failure(TaskType.SPEC, withStatus(TaskType.SPEC, p -> PodStatuses.ended(p, 0, "Completed", 0, T))).describe());
    }

    @Test
    void everyFailureKindHasItsOwnCodeAndOutcome() {
        List<Failure> all = List.of(new Failure.ImagePull(1, new PodVerdict.Holdup.ImagePull("i", "ErrImagePull", null), ""),
                new Failure.ScheduleTimeout(java.time.Duration.ofMinutes(1), new PodVerdict.Holdup.Unschedulable("Unschedulable", null)),
                new Failure.NodeLost(java.time.Duration.ofMinutes(3)),
                new Failure.InitTimeout(1, new PodVerdict.Holdup.Waiting("w"), ""), new Failure.OutOfMemory("connector"),
                new Failure.Evicted(null), new Failure.DeadlineExceeded(null), new Failure.InitFailed(1, ""),
                new Failure.ConnectorExit(1, ""), new Failure.SidecarCrash(1, ""), new Failure.NeverRan(null, null),
                new Failure.NoResult(TaskType.READ, ""), new Failure.PodDisappeared(), new Failure.TimeExceeded(48),
                new Failure.CreateFailed("forbidden", null));
        assertEquals(all.size(), all.stream().map(Failure::code).distinct().count());
        assertEquals(TaskOutcome.TIME_EXCEEDED, new Failure.TimeExceeded(48).outcome());
        assertEquals(ReadStatus.TIME_EXCEEDED, new Failure.TimeExceeded(48).status());
        assertEquals(TaskOutcome.POD_DISAPPEARED, new Failure.PodDisappeared().outcome());
        assertEquals(TaskOutcome.CREATE_FAILED, new Failure.CreateFailed("x", null).outcome());
        assertEquals(TaskOutcome.FAILED, new Failure.OutOfMemory("sidecar").outcome());
        assertEquals(TaskOutcome.CANCELLED, new Ending.Cancelled().outcome());
    }

    @Test
    void endedAtIsTheLastContainerEnd() {
        PodVerdict.Ended e = assertInstanceOf(PodVerdict.Ended.class,
                PodJudge.judge(withStatus(TaskType.READ, p -> PodStatuses.ended(p, 0, "Completed", 0, T))));
        assertEquals(T, e.at());
        assertEquals(0, e.source().code());
    }
}
