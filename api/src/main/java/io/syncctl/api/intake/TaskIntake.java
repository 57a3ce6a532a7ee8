package io.syncctl.api.intake;

import io.syncctl.api.db.Persistence;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.intake.Admission.Decision;
import io.syncctl.api.jobs.JobQueue;
import io.syncctl.api.metrics.IntakeMetrics;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.TaskRef;
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
import java.util.List;
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
 * <p>Which tasks are created is {@link Admission}'s pure decision; this class batches, locks, reads
 * and writes. Reads are serialised per sync by transaction-scoped advisory locks, so "at most one
 * RUNNING read per sync" and "the same taskId twice is one task" hold across any number of api
 * replicas. A batch takes its locks in one statement in the order of the lock keys, so two writers
 * (or replicas) never wait for each other crosswise.
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
        List<Decision> decisions;
        try {
            decisions = transactions.inTransaction(c -> write(c, batch));
        } catch (Throwable e) {
            if (unreachable(e)) {
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
            Decision d = transactions.inTransactionOr503(p.task().label(), c -> write(c, List.of(p))).get(0);
            metrics.batchCommitted(1);
            answer(p, d);
        } catch (Throwable e) {
            p.answer().completeExceptionally(e);
        }
    }

    private void answer(Pending p, Decision d) {
        switch (d) {
            case Admission.Created created -> {
                metrics.accepted(p.task().type());
                p.answer().complete(Outcome.CREATED);
            }
            case Admission.AlreadyExists exists -> p.answer().complete(Outcome.ALREADY_EXISTS);
            case Admission.Refused refused -> p.answer().completeExceptionally(ApiException.conflict(refused.reason()));
        }
    }

    /**
     * Whether a failed batch never reached PostgreSQL or lost it: no connection from the pool (Agroal's
     * acquisition timeout, an SQLException without SQL state) or a broken one (class 08). Committing
     * task by task would then only wait again, so every task gets the 503 at once. Anything else is a
     * statement PostgreSQL refused, which may be one task's fault.
     */
    static boolean unreachable(Throwable e) {
        if (Persistence.connectionLost(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getSQLState() == null;
            }
        }
        return false;
    }

    /** The whole batch inside its transaction; the i-th decision is the i-th task's. */
    private List<Decision> write(Connection c, List<Pending> batch) throws SQLException {
        List<TaskRecord> tasks = new ArrayList<>(batch.size());
        batch.forEach(p -> tasks.add(p.task()));
        List<Decision> decisions = decideAndAccept(c, tasks);

        List<NewTask> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (decisions.get(i) instanceof Admission.Created) {
                rows.add(new NewTask(batch.get(i).task(), batch.get(i).payload()));
            }
        }
        Set<UUID> inserted = store.insertAll(c, rows);
        List<Job> launches = new ArrayList<>(inserted.size());
        List<Decision> outcome = new ArrayList<>(decisions);
        for (int i = 0; i < batch.size(); i++) {
            if (decisions.get(i) instanceof Admission.Created) {
                TaskRecord t = tasks.get(i);
                if (inserted.contains(t.id())) {
                    launches.add(jobs.launchJob(t));
                } else {
                    outcome.set(i, Admission.ALREADY_EXISTS);
                }
            }
        }
        jobs.saveNew(c, launches);
        return outcome;
    }

    /**
     * Locks the batch's syncs, reads their state, lets {@link Admission} decide and writes the
     * acceptance of every task it created ({@link ResultEffects#acceptedAll}: a read's RUNNING
     * {@code source_task} row, ...): one round trip each for lock, look and the reads' insert.
     *
     * <p>Race: a {@code source_task} row with one of our taskIds can appear after we looked, written by
     * another replica for another sync (whose lock we do not hold) or by the console itself; the
     * insert then skips it. Those taskIds are used now: our rows of this round are deleted again and
     * the batch decided anew knowing that, so every task still gets the answer it would get alone
     * (a later read of the same sync may now run). Each round adds a used taskId, so this ends.
     */
    private static List<Decision> decideAndAccept(Connection c, List<TaskRecord> tasks) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        Set<String> syncIds = new HashSet<>();
        Set<String> taskIds = new HashSet<>();
        for (TaskRecord t : tasks) {
            if (t.type() == TaskType.READ) {
                ids.add(t.id());
                syncIds.add(t.syncId());
                taskIds.add(t.taskId());
            }
        }
        ReadState state = ReadState.NONE;
        if (!syncIds.isEmpty()) {
            lockSyncs(c, syncIds);
            state = ReadState.load(c, ids, syncIds, taskIds);
        }
        while (true) {
            List<Decision> decisions = Admission.decide(tasks, state);
            List<TaskRef> created = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                if (decisions.get(i) instanceof Admission.Created) {
                    created.add(tasks.get(i).ref());
                }
            }
            Set<String> taken = ResultEffects.acceptedAll(c, created, QUEUED);
            if (taken.isEmpty()) {
                return decisions;
            }
            LOG.debugf("%d taskIds were taken by another writer meanwhile; deciding the batch again", taken.size());
            deleteReadRows(c, created.stream().filter(t -> t.type() == TaskType.READ && !taken.contains(t.taskId()))
                    .map(TaskRef::taskId).toList());
            state = state.withUsedTaskIds(taken);
        }
    }

    /** Undoes this transaction's own RUNNING rows of a round that met a race (see {@link #decideAndAccept}). */
    private static void deleteReadRows(Connection c, List<String> taskIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM source_task WHERE task_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", taskIds.toArray()));
            ps.executeUpdate();
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
