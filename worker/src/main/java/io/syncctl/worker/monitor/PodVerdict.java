package io.syncctl.worker.monitor;

import java.time.Instant;

/** What a pod's status says about its task, independent of the clock and the database. */
public sealed interface PodVerdict {

    /**
     * Not running yet: waiting for a node, pulling images, or in its init container. {@code since}: when
     * it was created; {@code scheduledAt}: when it was bound to a node, null while it waits for one (the
     * cluster is full or nothing fits): waiting for room is bounded apart from starting.
     */
    record Starting(Instant since, Holdup holdup, boolean initContainerBusy, Instant scheduledAt) implements PodVerdict {
        /** Why, in words. */
        public String why() {
            return holdup.describe();
        }

        public boolean scheduled() {
            return scheduledAt != null;
        }
    }

    /** What keeps a pod from running: the most specific reason Kubernetes gives. */
    sealed interface Holdup {
        String describe();

        /** An image cannot be pulled (ErrImagePull, ImagePullBackOff, InvalidImageName, ...). */
        record ImagePull(String image, String reason, String message) implements Holdup {
            @Override
            public String describe() {
                return "image " + image + " cannot be pulled (" + reason + (message == null ? "" : ": " + message) + ")";
            }
        }

        /** The scheduler finds no node for it. */
        record Unschedulable(String reason, String message) implements Holdup {
            @Override
            public String describe() {
                return "the pod cannot be scheduled (" + reason + (message == null ? "" : ": " + message) + ")";
            }
        }

        /** Anything else: a container waiting for another reason, the init container still busy, not yet scheduled. */
        record Waiting(String why) implements Holdup {
            @Override
            public String describe() {
                return why;
            }
        }
    }

    /** The connector is running. */
    record Running(Instant since) implements PodVerdict {
    }

    /**
     * Being deleted (cancelled or stopped by us, or by Kubernetes): its end comes with the delete event.
     * {@code deadline}: when its grace period ends (the pod's deletionTimestamp), null if unknown; a pod
     * still there well after it is on a node that no longer answers.
     */
    record Stopping(Instant deadline) implements PodVerdict {
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
