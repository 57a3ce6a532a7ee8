package io.syncctl.api.intake;

import io.quarkus.runtime.ShutdownEvent;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.intake.TaskIntake.Pending;
import io.syncctl.shared.config.Settings;
import io.syncctl.shared.payload.TaskPayload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The queue between the HTTP requests and the database for {@link TaskIntake}'s group commit. A few
 * writer threads each take the tasks that are waiting (up to {@link #MAX_BATCH}) and commit them
 * together. Nobody waits for a batch to fill: a writer takes what is there, so with light load a
 * batch is one task and the latency is one transaction; under load, tasks that arrive while a
 * writer is busy go into its next batch.
 *
 * <p>{@link #WRITERS} writers: two, so one batch's statements overlap the other's commit (WAL flush),
 * and batches stay large: on 2 cores, two writers cost 15-20% less CPU per task at concurrency 16
 * than three (bench/RESULTS.md, api-intake), and leave the pool's connections to /cancel and health.
 *
 * <p>Bounded memory: the payload bytes of the tasks waiting here (queued or in a batch being committed)
 * never exceed {@code SYNCCTL_INTAKE_MAX_BYTES}; beyond it a request is answered 503 with Retry-After
 * at once instead of piling up bodies while the database is slow. A task alone is always taken, so a
 * limit below the body limit cannot refuse a body forever.
 */
@ApplicationScoped
public class IntakeBatcher {
    private static final Logger LOG = Logger.getLogger(IntakeBatcher.class);
    static final int WRITERS = 2;
    static final int MAX_BATCH = 64;

    /** Seconds a client is told to wait when the intake is full: a batch commits in milliseconds. */
    static final int RETRY_AFTER_SECONDS = 1;
    /** What a task costs beyond its payload (record, future, queue node), so tiny tasks count too. */
    static final long TASK_OVERHEAD_BYTES = 1024;

    private record Work(Pending pending, Consumer<List<Pending>> commit, long bytes) {
    }

    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final AtomicLong waitingBytes = new AtomicLong();
    private final long maxWaitingBytes;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopping;

    @Inject
    public IntakeBatcher(Settings settings) {
        this(settings.intakeMaxBytes());
    }

    IntakeBatcher(long maxWaitingBytes) {
        this.maxWaitingBytes = maxWaitingBytes;
    }

    /** Queues a task; {@code commit} runs on a writer thread with the batch the task ends up in. */
    void submit(Pending pending, Consumer<List<Pending>> commit) {
        if (stopping) {
            pending.answer().completeExceptionally(shuttingDown());
            return;
        }
        long bytes = bytes(pending);
        if (!reserve(bytes)) {
            pending.answer().completeExceptionally(ApiException.busy("the api has " + maxWaitingBytes
                    + " bytes of tasks waiting for the database (SYNCCTL_INTAKE_MAX_BYTES); nothing was stored, try again",
                    RETRY_AFTER_SECONDS));
            return;
        }
        startWriters();
        queue.add(new Work(pending, commit, bytes));
    }

    /** Takes room for a task; false when it would pass the bound (a task alone always fits). */
    private boolean reserve(long bytes) {
        while (true) {
            long now = waitingBytes.get();
            if (now > 0 && now + bytes > maxWaitingBytes) {
                return false;
            }
            if (waitingBytes.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Bytes currently waiting; for tests and metrics. */
    long waitingBytes() {
        return waitingBytes.get();
    }

    static long bytes(Pending p) {
        TaskPayload payload = p.payload();
        long chars = 0;
        for (String part : new String[] {payload.configJson(), payload.catalogJson(), payload.stateJson(), payload.destinationConfigJson()}) {
            chars += part == null ? 0 : part.length();
        }
        return chars + TASK_OVERHEAD_BYTES;
    }

    private synchronized void startWriters() {
        if (!writers.isEmpty() || stopping) {
            return;
        }
        for (int i = 0; i < WRITERS; i++) {
            Thread t = Thread.ofPlatform().daemon().name("syncctl-intake-" + i).unstarted(this::write);
            writers.add(t);
            t.start();
        }
    }

    private void write() {
        List<Work> taken = new ArrayList<>(MAX_BATCH);
        while (!stopping || !queue.isEmpty()) {
            try {
                Work first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                queue.drainTo(taken, MAX_BATCH - 1);
                try {
                    commitTaken(new ArrayList<>(taken));
                } finally {
                    waitingBytes.addAndGet(-taken.stream().mapToLong(Work::bytes).sum());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                taken.clear();
            }
        }
    }

    /** One commit per distinct commit function (there is one in practice: TaskIntake's). */
    private static void commitTaken(List<Work> taken) {
        while (!taken.isEmpty()) {
            Consumer<List<Pending>> commit = taken.get(0).commit();
            List<Pending> batch = new ArrayList<>(taken.size());
            taken.removeIf(w -> w.commit() == commit && batch.add(w.pending()));
            try {
                commit.accept(batch);
            } catch (Throwable e) {
                LOG.errorf(e, "intake batch of %d tasks failed", batch.size());
            } finally {
                // every request gets an answer, whatever happened above
                batch.forEach(p -> p.answer().completeExceptionally(new IllegalStateException("intake batch ended without an answer")));
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        List<Thread> started;
        synchronized (this) {
            started = List.copyOf(writers);
        }
        for (Thread t : started) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Work w;
        while ((w = queue.poll()) != null) {
            waitingBytes.addAndGet(-w.bytes());
            w.pending().answer().completeExceptionally(shuttingDown());
        }
    }

    private static ApiException shuttingDown() {
        return ApiException.unavailable("the api is shutting down; nothing was stored, try again");
    }
}
