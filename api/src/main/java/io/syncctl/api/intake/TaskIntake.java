package io.syncctl.api.intake;

import io.syncctl.api.db.Persistence;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.jobs.JobQueue;
import io.syncctl.api.metrics.IntakeMetrics;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.results.ResultTables.AcceptedRead;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskStore.NewTask;
import io.syncctl.shared.task.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jobrunr.jobs.Job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Durable intake (DESIGN principle 1): the task row with its encrypted payload, the result-table
 * effect of acceptance (CONTRACT section 2) and the JobRunr launch job commit in one transaction, or
 * none of them does. Only then does the client get its 200.
 *
 * <p><b>Group commit.</b> Requests hand their task to the {@link IntakeBatcher}; a writer thread takes
 * whatever tasks are waiting and {@link #commit commits} them in one transaction with one multi-row
 * statement per table. A commit (and its round trips) costs PostgreSQL and the JDBC driver far more
 * than one more row does, so under load this divides the database work per task several times; with
 * one request in flight the batch is just that request. Each task still gets exactly the answer it
 * would get alone: the batch is decided task by task in arrival order, and if the transaction fails
 * it is rolled back and every task is committed again on its own.
 *
 * <p>Reads are serialised per sync by transaction-scoped advisory locks, so "at most one RUNNING read
 * per sync" and "the same taskId twice is one task" hold across any number of api replicas. A batch
 * takes its locks in one statement in the order of the lock keys, so two writers (or replicas) never
 * wait for each other crosswise.
 */
@ApplicationScoped
public class TaskIntake {
    private static final Logger LOG = Logger.getLogger(TaskIntake.class);
    static final String QUEUED = "queued: waiting for a worker to start the pod";

    /** Whether the task was created now or already existed (a repeated /read). */
    public enum Outcome { CREATED, ALREADY_EXISTS }

    /** A task waiting for its batch, and where its answer goes. */
    public record Pending(TaskRecord task, TaskPayload payload, CompletableFuture<Outcome> answer) {
        public Pending(TaskRecord task, TaskPayload payload) {
            this(task, payload, new CompletableFuture<>());
        }
    }

    /** The decision for one task of a batch: an outcome, or the refusal it gets (409). */
    private record Decision(Outcome outcome, ApiException refusal) {
        static Decision of(Outcome o) {
            return new Decision(o, null);
        }

        static Decision refused(ApiException e) {
            return new Decision(null, e);
        }
    }

    /** The batch disagreed with what it had read under its locks (another replica raced): commit task by task. */
    private static final class RetryAlone extends RuntimeException {
        RetryAlone(String message) {
            super(message, null, false, false);
        }
    }

    private final Transactions transactions;
    private final TaskStore store;
    private final JobQueue jobs;
    private final IntakeMetrics metrics;
    private final IntakeBatcher batcher;
    /** One instance: the batcher groups waiting tasks by it. */
    private final java.util.function.Consumer<List<Pending>> committer = this::commit;

    public TaskIntake(Transactions transactions, TaskStore store, JobQueue jobs, IntakeMetrics metrics, IntakeBatcher batcher) {
        this.transactions = transactions;
        this.store = store;
        this.jobs = jobs;
        this.metrics = metrics;
        this.batcher = batcher;
    }

    /** Completes once the task is committed (or refused: 409, or 503 when the database is away). */
    public CompletionStage<Outcome> accept(TaskRecord task, TaskPayload payload) {
        Pending p = new Pending(task, payload);
        batcher.submit(p, committer);
        return p.answer();
    }

    /**
     * Commits a batch in one transaction and completes every task's answer. On any failure the
     * transaction is rolled back (nothing of it stays) and, unless the database is unreachable, each
     * task is committed alone so one bad task cannot fail or lose the others.
     */
    void commit(List<Pending> batch) {
        if (batch.size() == 1) {
            commitAlone(batch.get(0));
            return;
        }
        boolean[] connected = {false};
        List<Decision> decisions;
        try {
            decisions = transactions.inTransaction(c -> {
                connected[0] = true;
                return decide(c, batch);
            });
        } catch (Throwable e) {
            if (!connected[0] || Persistence.connectionLost(e)) {
                ApiException unavailable = Persistence.unavailable(batch.size() + " tasks", e);
                batch.forEach(p -> p.answer().completeExceptionally(unavailable));
                return;
            }
            LOG.debugf("batch of %d tasks rolled back (%s); committing them one by one", batch.size(), e.toString());
            metrics.batchSplit();
            batch.forEach(this::commitAlone);
            return;
        }
        metrics.batchCommitted(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), decisions.get(i));
        }
    }

    private void commitAlone(Pending p) {
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    Decision d = Persistence.guard(p.task().label(),
                            () -> transactions.inTransaction(c -> decide(c, List.of(p))).get(0));
                    metrics.batchCommitted(1);
                    answer(p, d);
                    return;
                } catch (RetryAlone e) {
                    // another replica took the taskId between our look and our insert: look again
                    if (attempt == 2) {
                        throw ApiException.unavailable("cannot persist the task right now (concurrent change); nothing was stored, try again");
                    }
                }
            }
        } catch (Throwable e) {
            p.answer().completeExceptionally(e);
        }
    }

    private void answer(Pending p, Decision d) {
        if (d.refusal() != null) {
            p.answer().completeExceptionally(d.refusal());
            return;
        }
        if (d.outcome() == Outcome.CREATED) {
            metrics.accepted(p.task().type());
        }
        p.answer().complete(d.outcome());
    }

    /** The whole batch inside its transaction; the i-th decision is the i-th task's. */
    private List<Decision> decide(Connection c, List<Pending> batch) throws SQLException {
        Decision[] decisions = new Decision[batch.size()];
        List<Integer> creating = new ArrayList<>();
        decideReads(c, batch, decisions, creating);

        Set<String> checkKeys = new LinkedHashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            TaskRecord t = batch.get(i).task();
            switch (t.type()) {
                case SPEC -> creating.add(i);
                case CHECK -> {
                    checkKeys.add(t.storageKey());
                    creating.add(i);
                }
                case DISCOVER -> {
                    ResultTables.discoverAccepted(c, t.pkg(), t.version(), t.storageKey());
                    creating.add(i);
                }
                case READ -> {
                    // decided above
                }
            }
        }
        ResultTables.checkAcceptedAll(c, checkKeys);

        List<NewTask> rows = new ArrayList<>(creating.size());
        for (int i : creating) {
            rows.add(new NewTask(batch.get(i).task(), batch.get(i).payload()));
        }
        Set<UUID> inserted = store.insertAll(c, rows);
        List<Job> launches = new ArrayList<>(inserted.size());
        for (int i : creating) {
            TaskRecord t = batch.get(i).task();
            if (inserted.contains(t.id())) {
                launches.add(jobs.launchJob(t));
                decisions[i] = Decision.of(Outcome.CREATED);
            } else {
                decisions[i] = Decision.of(Outcome.ALREADY_EXISTS);
            }
        }
        jobs.saveNew(c, launches);
        return List.of(decisions);
    }

    /**
     * Reads, in arrival order, with the syncs locked: a task id seen before is the same task; a sync
     * with a RUNNING read (in the database, or accepted earlier in this batch) refuses the next one;
     * a taskId already in source_task from elsewhere is refused.
     */
    private void decideReads(Connection c, List<Pending> batch, Decision[] decisions, List<Integer> creating) throws SQLException {
        List<Integer> reads = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).task().type() == TaskType.READ) {
                reads.add(i);
            }
        }
        if (reads.isEmpty()) {
            return;
        }
        Set<String> syncIds = new HashSet<>();
        Set<UUID> ids = new HashSet<>();
        Set<String> taskIds = new HashSet<>();
        for (int i : reads) {
            TaskRecord t = batch.get(i).task();
            syncIds.add(t.syncId());
            ids.add(t.id());
            taskIds.add(t.taskId());
        }
        lockSyncs(c, syncIds);
        ReadState state = ReadState.load(c, ids, syncIds, taskIds);
        Set<UUID> existing = state.existingTasks();
        Map<String, String> running = state.running();
        Set<String> usedTaskIds = state.usedTaskIds();

        List<AcceptedRead> rows = new ArrayList<>();
        for (int i : reads) {
            TaskRecord t = batch.get(i).task();
            String runningTask = running.get(t.syncId());
            if (existing.contains(t.id())) {
                decisions[i] = Decision.of(Outcome.ALREADY_EXISTS);
            } else if (runningTask != null) {
                decisions[i] = Decision.refused(ApiException.conflict(
                        "sync '" + t.syncId() + "' already has a running read: taskId '" + runningTask + "'"));
            } else if (usedTaskIds.contains(t.taskId())) {
                decisions[i] = Decision.refused(ApiException.conflict(
                        "taskId '" + t.taskId() + "' was already used by another task in source_task"));
            } else {
                existing.add(t.id());
                running.put(t.syncId(), t.taskId());
                usedTaskIds.add(t.taskId());
                rows.add(new AcceptedRead(t.syncId(), t.taskId(), t.pkg(), t.version(),
                        StartedBy.json(t.options().get("startedBy")), QUEUED));
                creating.add(i);
            }
        }
        Set<String> inserted = ResultTables.readAcceptedAll(c, rows);
        if (inserted.size() != rows.size()) {
            // a source_task row of another sync appeared after we looked (its sync is not ours to lock)
            throw new RetryAlone("a taskId was taken meanwhile");
        }
    }

    /**
     * Held until commit or rollback; other writers and replicas wait on them, so the running check
     * cannot race. Taken in the order of the lock keys (the sort happens before the locking), so
     * batches that share syncs cannot deadlock.
     */
    private static void lockSyncs(Connection c, Set<String> syncIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(pg_advisory_xact_lock(k)) FROM (
                  SELECT DISTINCT hashtext('syncctl.read:' || s) AS k FROM unnest(?::text[]) AS s ORDER BY k) AS keys""")) {
            ps.setArray(1, c.createArrayOf("text", syncIds.toArray()));
            ps.execute();
        }
    }
}
