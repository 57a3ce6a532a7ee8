package io.syncctl.worker.finalise;

import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.task.TaskOutcome;

/**
 * How the worker ends a task by its own decision, when nothing the sidecar recorded does: it was
 * cancelled, or it failed ({@link Failure}). {@code outcome} goes to {@code syncctl_task.outcome},
 * {@code status} to {@code source_task.status} of a read, {@link #describe()} to the description
 * clients read.
 */
public sealed interface Ending permits Ending.Cancelled, Failure {

    TaskOutcome outcome();

    ReadStatus status();

    /** In words a user can act on (DESIGN principle 4). */
    String describe();

    /** Cancelled on request: the sidecar could not record it (no pod yet, or it was gone). */
    record Cancelled() implements Ending {
        @Override
        public TaskOutcome outcome() {
            return TaskOutcome.CANCELLED;
        }

        @Override
        public ReadStatus status() {
            return ReadStatus.CANCELLED;
        }

        @Override
        public String describe() {
            return "cancelled on request";
        }
    }
}
