package io.syncctl.api.jobs;

import io.syncctl.shared.task.TaskJobLabels;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.JobParameter;
import org.jobrunr.jobs.states.EnqueuedState;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Name and retries of a {@link TaskJobs} method, read once from its {@code @Job} annotation. JobRunr's
 * {@code DefaultJobFilter} reads the annotation on every enqueue; building jobs directly we do it once
 * and fill in {@code %0} (task id) and {@code %1} (label) the way that filter does.
 */
record JobTemplate(String method, String nameTemplate, Integer retries) {

    static JobTemplate of(String method) {
        try {
            org.jobrunr.jobs.annotations.Job job = TaskJobs.class.getMethod(method, UUID.class, String.class)
                    .getAnnotation(org.jobrunr.jobs.annotations.Job.class);
            if (job == null || job.name().isBlank() || job.labels().length > 0) {
                // labels are per task (TaskJobLabels), set on the job itself
                throw new IllegalStateException("TaskJobs." + method + " needs @Job with a name and no labels");
            }
            // like DefaultJobFilter: "not provided" leaves JobRunr's default number of retries
            return new JobTemplate(method, job.name(),
                    job.retries() == org.jobrunr.jobs.annotations.Job.NBR_OF_RETRIES_NOT_PROVIDED ? null : job.retries());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("TaskJobs has no method " + method + "(UUID, String)", e);
        }
    }

    String name(UUID taskId, String label) {
        return nameTemplate.replace("%0", taskId.toString()).replace("%1", label);
    }

    /**
     * The job {@code TaskJobs.<method>(taskId, label)} with id {@code jobId}: the details, name and
     * retries JobRunr's scheduler produces from the lambda and the annotation, plus the task's labels ({@link TaskJobLabels}; JobRunr's scheduler refuses
     * per-job labels together with {@code @Job}, which is why the api builds its jobs itself).
     * {@code version}: 0 for JobRunr's {@code StorageProvider.save} (which inserts a version-0 job and
     * stores it as version 1), 1 for an insert of our own.
     */
    Job job(UUID jobId, TaskRecord task, int version) {
        UUID id = task.id();
        String label = task.label();
        JobDetails details = new JobDetails(TaskJobs.class.getName(), null, method,
                List.of(new JobParameter(UUID.class, id), new JobParameter(String.class, label)));
        // as the caching lambda analysis marks them: the worker may cache the method lookup
        details.setCacheable(true);
        Job job = new Job(jobId, version, details, List.of(new EnqueuedState()), new ConcurrentHashMap<>());
        job.setJobName(name(id, label));
        job.setAmountOfRetries(retries);
        job.setLabels(TaskJobLabels.of(task));
        return job;
    }
}
