package io.syncctl.worker.jobs;

import io.syncctl.shared.task.TaskJobs;
import io.syncctl.worker.cancel.Canceller;
import io.syncctl.worker.launch.Launcher;

import io.syncctl.worker.room.RoomGate;
import io.syncctl.worker.room.WaitingLog;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * The jobs of {@link TaskJobs}, run by one worker's launcher and canceller. A database error is
 * rethrown so JobRunr retries the step; it names no secret.
 */
public final class TaskSteps implements TaskJobs {
    private final Launcher launcher;
    private final Canceller canceller;
    private final RoomGate gate;
    private final LaunchLater later;
    private final WaitingLog waitingLog;
    private final Clock clock;

    public TaskSteps(Launcher launcher, Canceller canceller, RoomGate gate, LaunchLater later, WaitingLog waitingLog,
                     Clock clock) {
        this.launcher = launcher;
        this.canceller = canceller;
        this.gate = gate;
        this.later = later;
        this.waitingLog = waitingLog;
        this.clock = clock;
    }

    /**
     * Launches the task, unless SYNCCTL_MAX_RUNNING_PODS leaves no room for it yet: then the same job
     * runs again a little later ({@link LaunchLater}) and the task's log says that it waits.
     */
    @Override
    public void launch(UUID taskId, String label) {
        try {
            Optional<RoomGate.NoRoom> noRoom = gate.check(taskId);
            if (noRoom.isPresent()) {
                later.askAgainAt(clock.instant().plus(noRoom.get().recheckAfter()), WaitingLog.PREFIX + " " + noRoom.get().describe());
                waitingLog.waiting(taskId, noRoom.get().describe());
                return;
            }
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
