package io.syncctl.api.jobs;

import io.syncctl.shared.task.TaskJobs;

import java.util.UUID;

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
}
