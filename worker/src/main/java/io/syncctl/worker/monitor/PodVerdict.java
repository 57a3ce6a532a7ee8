package io.syncctl.worker.monitor;

import java.time.Instant;

/** What a pod's status says about its task, independent of the clock and the database. */
public sealed interface PodVerdict {

    /** Not running yet: being scheduled, pulling images, or in its init container. */
    record Starting(Instant since, String why, boolean initContainerBusy) implements PodVerdict {
    }

    /** The connector is running. */
    record Running(Instant since) implements PodVerdict {
    }

    /** Being deleted (cancelled or stopped by us): its end comes with the delete event. */
    record Stopping() implements PodVerdict {
    }

    /** Every container has ended, or the pod was failed as a whole (evicted, deadline). */
    record Ended(Instant at, String podReason, String podMessage,
                 Exit init, Exit source, Exit sidecar) implements PodVerdict {
    }

    /** How one container ended; null in {@link Ended} when it never ran to an end. */
    record Exit(int code, String reason, String message) {
        public boolean ok() {
            return code == 0;
        }
    }
}
