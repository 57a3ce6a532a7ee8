package io.syncctl.api.intake;

import io.quarkus.runtime.ShutdownEvent;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.intake.TaskIntake.Pending;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 */
@ApplicationScoped
public class IntakeBatcher {
    private static final Logger LOG = Logger.getLogger(IntakeBatcher.class);
    static final int WRITERS = 2;
    static final int MAX_BATCH = 64;

    private record Work(Pending pending, Consumer<List<Pending>> commit) {
    }

    private final LinkedBlockingQueue<Work> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopping;

    /** Queues a task; {@code commit} runs on a writer thread with the batch the task ends up in. */
    void submit(Pending pending, Consumer<List<Pending>> commit) {
        if (stopping) {
            pending.answer().completeExceptionally(shuttingDown());
            return;
        }
        startWriters();
        queue.add(new Work(pending, commit));
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
                commitTaken(taken);
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
            w.pending().answer().completeExceptionally(shuttingDown());
        }
    }

    private static ApiException shuttingDown() {
        return ApiException.unavailable("the api is shutting down; nothing was stored, try again");
    }
}
