package io.syncctl.worker.room;

import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.db.Db;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * SYNCCTL_MAX_RUNNING_PODS: a queued task may create its pod only while fewer tasks than the limit
 * have one, and only if it is among the oldest queued tasks that fit; the rest wait in the queue
 * instead of the cluster. Counted from the task table, so every replica sees the same numbers
 * ({@link TaskStore#queuePlace}).
 */
public final class RoomGate {
    private final Db db;
    private final TaskStore store;
    private final OptionalInt limit;
    private final Clock clock;

    public RoomGate(Db db, TaskStore store, WorkerSettings settings, Clock clock) {
        this.db = db;
        this.store = store;
        this.limit = settings.room().maxRunningPods();
        this.clock = clock;
    }

    /** Why the task must wait, or empty when it may launch now (no limit, room for it, or not queued any more). */
    public Optional<NoRoom> check(UUID taskId) throws SQLException {
        if (limit.isEmpty()) {
            return Optional.empty();
        }
        int max = limit.getAsInt();
        return db.tx(c -> store.queuePlace(c, taskId))
                .filter(p -> p.launched() + p.ahead() >= max)
                .map(p -> new NoRoom(p.launched(), p.ahead(), max,
                        p.acceptedAt() == null ? Duration.ZERO : Duration.between(p.acceptedAt(), clock.instant())));
    }

    /** A task that must wait: how full the cluster is, how many wait ahead of it, and for how long it has waited. */
    public record NoRoom(int launched, int ahead, int limit, Duration waited) {
        /**
         * When to ask again: soon near the head of the queue (a pod ending makes room for it), less often
         * further back, so a long queue costs few queries and job updates.
         */
        public Duration recheckAfter() {
            return Duration.ofSeconds(Math.min(30, 5 + 5L * (ahead / limit)));
        }

        /** Completes "waiting for room ...". */
        public String describe() {
            return "in the queue for " + Waits.words(waited) + ": " + launched + " of at most " + limit
                    + " task pods exist (SYNCCTL_MAX_RUNNING_PODS)"
                    + (ahead == 0 ? "" : " and " + ahead + (ahead == 1 ? " task waits" : " tasks wait") + " ahead of this one");
        }
    }
}
