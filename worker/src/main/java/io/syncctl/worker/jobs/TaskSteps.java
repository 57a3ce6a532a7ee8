package io.syncctl.worker.jobs;

import io.syncctl.shared.task.TaskJobs;
import io.syncctl.worker.cancel.Canceller;
import io.syncctl.worker.launch.Launcher;

import java.sql.SQLException;
import java.util.UUID;

/**
 * The jobs of {@link TaskJobs}, run by one worker's launcher and canceller. A database error is
 * rethrown so JobRunr retries the step; it names no secret.
 */
public final class TaskSteps implements TaskJobs {
    private final Launcher launcher;
    private final Canceller canceller;

    public TaskSteps(Launcher launcher, Canceller canceller) {
        this.launcher = launcher;
        this.canceller = canceller;
    }

    @Override
    public void launch(UUID taskId, String label) {
        try {
            launcher.launch(taskId);
        } catch (SQLException e) {
            throw new IllegalStateException("database error while launching " + label + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void cancel(UUID taskId, String label) {
        try {
            canceller.cancel(taskId);
        } catch (SQLException e) {
            throw new IllegalStateException("database error while cancelling " + label + ": " + e.getMessage(), e);
        }
    }
}
