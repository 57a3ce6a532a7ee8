package io.syncctl.shared.task;

import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskJobLabelsTest {

    @Test
    void typeAndPackageAtEnqueueThenTheOutcome() {
        TaskRecord read = TaskRecord.accepted(UUID.randomUUID(), TaskType.READ, "airbyte/source-postgres", "3.6.2", null, "s", "t", Map.of());
        List<String> labels = TaskJobLabels.of(read);
        assertEquals(List.of("type:read", "package:airbyte/source-postgres"), labels);
        List<String> ended = TaskJobLabels.withOutcome(labels, TaskOutcome.FAILED, "out_of_memory");
        assertEquals(List.of("type:read", "package:airbyte/source-postgres", "outcome:FAILED (out_of_memory)"), ended);
        // a second end (another observer, a retry) replaces the outcome instead of adding one
        assertEquals(List.of("type:read", "package:airbyte/source-postgres", "outcome:SUCCESS"),
                TaskJobLabels.withOutcome(ended, TaskOutcome.SUCCESS, "none"));
        // a job enqueued without labels (before this version) still gets its outcome
        assertEquals(List.of("outcome:CANCELLED"), TaskJobLabels.withOutcome(null, TaskOutcome.CANCELLED, null));
        assertEquals("outcome:FAILED (recorded)", TaskJobLabels.outcome(
                TaskJobLabels.withOutcome(List.of("a", "b", "c"), TaskOutcome.FAILED, "recorded")).orElseThrow());
    }

    @Test
    void everyLabelIsOneJobRunrAccepts() {
        TaskRecord longName = TaskRecord.accepted(UUID.randomUUID(), TaskType.CHECK,
                "registry.example.com:5000/some-team/source-" + "x".repeat(200), "1", "k", null, null, Map.of());
        List<String> labels = TaskJobLabels.withOutcome(TaskJobLabels.of(longName), TaskOutcome.POD_DISAPPEARED, "pod_disappeared");
        assertEquals("package:registry.example.com:5000/some-team/…", labels.get(1));
        assertEquals(TaskJobLabels.MAX_LENGTH, labels.get(1).length());
        Job job = new Job(new JobDetails(TaskJobs.class.getName(), null, "launch", List.of()));
        job.setLabels(labels); // JobRunr throws for more than 3 labels or one longer than 45 characters
        assertEquals(labels, job.getLabels());
        for (TaskOutcome o : TaskOutcome.values()) {
            job.setLabels(TaskJobLabels.withOutcome(labels, o, "connector_exit_long_kind"));
        }
    }
}
