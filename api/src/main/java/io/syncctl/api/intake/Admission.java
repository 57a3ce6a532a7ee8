package io.syncctl.api.intake;

import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which tasks of a batch are created (CONTRACT section 2, "read"): a pure function of the requests,
 * in arrival order, and of what the database holds about them ({@link ReadState}, read with the
 * batch's syncs locked). {@link TaskIntake} does the locking, the reading and the writing.
 *
 * <p>Spec, check and discover tasks are always created. A read is, in this order of precedence:
 * <ol>
 *   <li>{@link AlreadyExists} when its task exists (the same /read sent again; its internal id is
 *       derived from the client's taskId), in the database or earlier in the batch;</li>
 *   <li>{@link Refused} when its sync has a RUNNING read, in the database or accepted earlier in
 *       the batch (the reason names that read's taskId);</li>
 *   <li>{@link Refused} when its taskId already has a {@code source_task} row that is not ours
 *       (another sync's task, or a row the console wrote itself);</li>
 *   <li>{@link Created} otherwise: from then on its sync is running and its taskId used.</li>
 * </ol>
 * So every task gets the answer it would get alone, had the batch's tasks arrived one by one.
 */
final class Admission {

    /** What happens to one task of a batch. */
    sealed interface Decision permits Created, AlreadyExists, Refused {
    }

    /** Stored and queued now. */
    record Created() implements Decision {
    }

    /** The same read was accepted before: nothing new is stored, the client gets 200 saying so. */
    record AlreadyExists() implements Decision {
    }

    /** Not accepted: the client gets 409 with {@code reason}. */
    record Refused(String reason) implements Decision {
    }

    static final Decision CREATED = new Created();
    static final Decision ALREADY_EXISTS = new AlreadyExists();

    private Admission() {
    }

    /** The i-th decision is the i-th task's. {@code current} is not changed. */
    static List<Decision> decide(List<TaskRecord> tasks, ReadState current) {
        Set<UUID> existing = new HashSet<>(current.existingTasks());
        Map<String, String> running = new HashMap<>(current.running());
        Set<String> usedTaskIds = new HashSet<>(current.usedTaskIds());
        List<Decision> decisions = new ArrayList<>(tasks.size());
        for (TaskRecord t : tasks) {
            decisions.add(t.type() != TaskType.READ ? CREATED : decideRead(t, existing, running, usedTaskIds));
        }
        return decisions;
    }

    private static Decision decideRead(TaskRecord t, Set<UUID> existing, Map<String, String> running, Set<String> usedTaskIds) {
        if (existing.contains(t.id())) {
            return ALREADY_EXISTS;
        }
        String runningTask = running.get(t.syncId());
        if (runningTask != null) {
            return new Refused("sync '" + t.syncId() + "' already has a running read: taskId '" + runningTask + "'");
        }
        if (usedTaskIds.contains(t.taskId())) {
            return new Refused("taskId '" + t.taskId() + "' was already used by another task in source_task");
        }
        existing.add(t.id());
        running.put(t.syncId(), t.taskId());
        usedTaskIds.add(t.taskId());
        return CREATED;
    }
}
