package io.syncctl.api.intake;

import io.syncctl.api.intake.Admission.AlreadyExists;
import io.syncctl.api.intake.Admission.Created;
import io.syncctl.api.intake.Admission.Decision;
import io.syncctl.api.intake.Admission.Refused;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Admission} alone: requests and a database state in, decisions out. */
class AdmissionTest {
    static final Decision CREATED = new Created();
    static final Decision EXISTS = new AlreadyExists();

    static TaskRecord read(String taskId, String syncId) {
        return TaskRecord.accepted(JobIds.readTask(taskId), TaskType.READ, "a/b", "1", null, syncId, taskId, Map.of());
    }

    static TaskRecord check(String key) {
        return TaskRecord.accepted(UUID.randomUUID(), TaskType.CHECK, "a/b", "1", key, null, null, Map.of());
    }

    static Decision running(String syncId, String taskId) {
        return new Refused("sync '" + syncId + "' already has a running read: taskId '" + taskId + "'");
    }

    static Decision used(String taskId) {
        return new Refused("taskId '" + taskId + "' was already used by another task in source_task");
    }

    @Test
    void nothingKnownCreatesEverything() {
        List<TaskRecord> tasks = List.of(check("k1"), read("t1", "s1"), read("t2", "s2"),
                TaskRecord.accepted(UUID.randomUUID(), TaskType.SPEC, "a/b", "1", null, null, null, Map.of()));
        assertEquals(List.of(CREATED, CREATED, CREATED, CREATED), Admission.decide(tasks, ReadState.NONE));
    }

    @Test
    void aRepeatedTaskIdIsTheSameTask() {
        // in one batch: the second is the first one again
        assertEquals(List.of(CREATED, EXISTS), Admission.decide(List.of(read("t1", "s1"), read("t1", "s1")), ReadState.NONE));
        // already stored: exists, even though its own read is the sync's RUNNING one
        ReadState stored = new ReadState(Set.of(JobIds.readTask("t1")), Map.of("s1", "t1"), Set.of("t1"));
        assertEquals(List.of(EXISTS), Admission.decide(List.of(read("t1", "s1")), stored));
        // the same taskId sent for another sync is still that task
        assertEquals(List.of(CREATED, EXISTS), Admission.decide(List.of(read("t1", "s1"), read("t1", "s2")), ReadState.NONE));
    }

    @Test
    void aSyncAlreadyRunningRefusesTheReadNamingTheRunningTask() {
        ReadState state = new ReadState(Set.of(), Map.of("s1", "running-1"), Set.of("running-1"));
        assertEquals(List.of(running("s1", "running-1"), CREATED),
                Admission.decide(List.of(read("t2", "s1"), read("t3", "s2")), state));
    }

    @Test
    void twoReadsOfOneSyncInOneBatchTheFirstRunsTheSecondIsRefused() {
        List<Decision> d = Admission.decide(List.of(read("t1", "s1"), read("t2", "s1"), read("t3", "s1")), ReadState.NONE);
        assertEquals(List.of(CREATED, running("s1", "t1"), running("s1", "t1")), d);
    }

    @Test
    void aTaskIdUsedElsewhereIsRefusedAndDoesNotTakeItsSync() {
        ReadState state = new ReadState(Set.of(), Map.of(), Set.of("t1"));
        assertEquals(List.of(used("t1"), CREATED), Admission.decide(List.of(read("t1", "s1"), read("t2", "s1")), state));
    }

    @Test
    void aTaskIdTakenMeanwhileFreesItsSyncForTheNextRead() {
        // TaskIntake's second round after another writer took "t1": the same batch, decided again
        List<TaskRecord> batch = List.of(read("t1", "s1"), read("t2", "s1"));
        assertEquals(List.of(CREATED, running("s1", "t1")), Admission.decide(batch, ReadState.NONE));
        assertEquals(List.of(used("t1"), CREATED), Admission.decide(batch, ReadState.NONE.withUsedTaskIds(List.of("t1"))));
    }

    @Test
    void theStateIsNotChanged() {
        ReadState state = new ReadState(Set.of(), Map.of(), Set.of());
        Admission.decide(List.of(read("t1", "s1")), state);
        assertEquals(ReadState.NONE, state);
        assertEquals(List.of(CREATED), Admission.decide(List.of(read("t1", "s1")), state));
    }
}
