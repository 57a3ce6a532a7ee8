package io.syncctl.worker.jobs;

import io.quarkus.arc.Unremovable;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.worker.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.UUID;

/**
 * The CDI bean JobRunr resolves for {@link TaskJobs} jobs through {@link CdiJobActivator}. Unremovable:
 * it is only ever looked up dynamically.
 */
@ApplicationScoped
@Unremovable
public class TaskJobsBean implements TaskJobs {
    @Inject
    WorkerRuntime runtime;

    @Override
    public void launch(UUID taskId, String label) {
        runtime.worker().steps().launch(taskId, label);
    }

    @Override
    public void cancel(UUID taskId, String label) {
        runtime.worker().steps().cancel(taskId, label);
    }
}
