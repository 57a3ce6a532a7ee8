package io.syncctl.api.intake;

import io.syncctl.api.db.Persistence;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.jobs.JobQueue;
import io.syncctl.api.metrics.IntakeMetrics;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Durable intake (DESIGN principle 1): the task row with its encrypted payload, the result-table
 * effect of acceptance (CONTRACT section 2) and the JobRunr launch job commit in one transaction, or
 * none of them does. Only then does the client get its 200.
 *
 * <p>Reads are serialised per sync by a transaction-scoped advisory lock, so "at most one RUNNING
 * read per sync" and "the same taskId twice is one task" hold across any number of api replicas.
 */
@ApplicationScoped
public class TaskIntake {
    /** Whether the task was created now or already existed (a repeated /read). */
    public enum Outcome { CREATED, ALREADY_EXISTS }

    private final Transactions transactions;
    private final TaskStore store;
    private final JobQueue jobs;
    private final IntakeMetrics metrics;

    public TaskIntake(Transactions transactions, TaskStore store, JobQueue jobs, IntakeMetrics metrics) {
        this.transactions = transactions;
        this.store = store;
        this.jobs = jobs;
        this.metrics = metrics;
    }

    public Outcome accept(TaskRecord task, TaskPayload payload) {
        Outcome outcome = Persistence.guard(task.label(), () -> transactions.inTransaction(c -> switch (task.type()) {
            case SPEC -> create(c, task, payload);
            case CHECK -> {
                ResultTables.checkAccepted(c, task.storageKey());
                yield create(c, task, payload);
            }
            case DISCOVER -> {
                ResultTables.discoverAccepted(c, task.pkg(), task.version(), task.storageKey());
                yield create(c, task, payload);
            }
            case READ -> acceptRead(c, task, payload);
        }));
        if (outcome == Outcome.CREATED) {
            metrics.accepted(task.type());
        }
        return outcome;
    }

    private Outcome acceptRead(Connection c, TaskRecord task, TaskPayload payload) throws SQLException {
        lockSync(c, task.syncId());
        if (store.find(c, task.id()).isPresent()) {
            return Outcome.ALREADY_EXISTS;
        }
        String running = ResultTables.runningRead(c, task.syncId());
        if (running != null) {
            throw ApiException.conflict("sync '" + task.syncId() + "' already has a running read: taskId '" + running + "'");
        }
        if (!ResultTables.readAccepted(c, task.syncId(), task.taskId(), task.pkg(), task.version(),
                StartedBy.json(task.options().get("startedBy")), "queued: waiting for a worker to start the pod")) {
            throw ApiException.conflict("taskId '" + task.taskId() + "' was already used by another task in source_task");
        }
        return create(c, task, payload);
    }

    private Outcome create(Connection c, TaskRecord task, TaskPayload payload) throws SQLException {
        if (!store.insert(c, task, payload)) {
            return Outcome.ALREADY_EXISTS;
        }
        jobs.enqueueLaunch(task);
        return Outcome.CREATED;
    }

    /** Held until commit or rollback; other api replicas wait on it, so the running check cannot race. */
    private static void lockSync(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('syncctl.read:' || ?))")) {
            ps.setString(1, syncId);
            ps.execute();
        }
    }
}
