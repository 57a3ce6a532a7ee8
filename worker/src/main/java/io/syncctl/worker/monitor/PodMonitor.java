package io.syncctl.worker.monitor;

import io.fabric8.kubernetes.api.model.Pod;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.finalise.Finaliser;
import io.syncctl.worker.finalise.Failure;
import io.syncctl.worker.finalise.PodLogs;
import io.syncctl.worker.launch.TaskLabels;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.room.WaitingLog;
import io.syncctl.worker.room.Waits;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Turns pod observations (informer events, resyncs) into effects. Observing is cheap and pure
 * ({@link PodJudge}); only an end, a timeout or a vanished pod touches the database, through the
 * {@link Finaliser}, whose conditional updates make the effect happen once across all replicas.
 */
public final class PodMonitor {
    private static final Logger LOG = Logger.getLogger(PodMonitor.class);
    /** A pod not yet scheduled for this long is noted in its task's log even without a word from the scheduler. */
    static final Duration NOTED_AFTER = Duration.ofSeconds(10);

    /** One observation: the pod's latest state, and whether it was deleted. */
    record Observation(Pod pod, boolean deleted) {
    }

    private final Finaliser finaliser;
    private final PodLogs logs;
    private final WorkerSettings settings;
    private final Clock clock;
    private final WaitingLog waitingLog;
    private final KeyedWorkQueue<Observation> queue;

    public PodMonitor(Finaliser finaliser, PodLogs logs, WaitingLog waitingLog, WorkerSettings settings, Clock clock,
                      Executor executor) {
        this.finaliser = finaliser;
        this.logs = logs;
        this.waitingLog = waitingLog;
        this.settings = settings;
        this.clock = clock;
        this.queue = new KeyedWorkQueue<>(executor, this::handleSafely);
    }

    public void observed(Pod pod) {
        queue.submit(pod.getMetadata().getName(), new Observation(pod, false));
    }

    public void deleted(Pod pod) {
        queue.submit(pod.getMetadata().getName(), new Observation(pod, true));
    }

    public int backlog() {
        return queue.pending();
    }

    private void handleSafely(Observation o) {
        try {
            handle(o);
        } catch (Exception e) {
            // The next event or resync observes the pod again.
            LOG.warnf("handling pod %s failed, will retry on the next resync: %s", o.pod().getMetadata().getName(), e.toString());
        }
    }

    void handle(Observation o) throws Exception {
        Pod pod = o.pod();
        Optional<UUID> taskId = TaskLabels.taskId(pod);
        if (taskId.isEmpty()) {
            return;
        }
        String name = pod.getMetadata().getName();
        PodVerdict verdict = PodJudge.judge(pod);
        if (finaliser.finished(taskId.get())) {
            // Its end is recorded (seen by this worker): the deletion that follows needs nothing, and a
            // resync of an ended pod that is still there only needs the removal asked again (a removal
            // that failed or was dropped is retried this way). A stopping pod goes on below: one stuck
            // Terminating on a lost node is force-deleted even though its task has ended.
            if (!o.deleted() && verdict instanceof PodVerdict.Ended) {
                finaliser.removePod(name, false);
            }
            if (o.deleted() || verdict instanceof PodVerdict.Ended) {
                return;
            }
        }
        switch (verdict) {
            case PodVerdict.Ended ended -> finaliser.podEnded(taskId.get(), name, ended);
            case PodVerdict.Starting starting when o.deleted() -> finaliser.podGone(taskId.get(), name);
            case PodVerdict.Starting starting when !starting.scheduled() -> {
                // Waiting for room is not failing to start: it has a bound of its own.
                Duration limit = settings.room().scheduleTimeout();
                Duration waited = Duration.between(starting.since(), clock.instant());
                if (waited.compareTo(limit) >= 0) {
                    finaliser.end(taskId.get(), new Failure.ScheduleTimeout(limit, starting.holdup()));
                    finaliser.removePod(name, false);
                } else if (starting.holdup() instanceof PodVerdict.Holdup.Unschedulable || waited.compareTo(NOTED_AFTER) >= 0) {
                    waitingLog.waiting(taskId.get(), "in the cluster for " + Waits.words(waited) + " (at most "
                            + Waits.words(limit) + "): " + starting.why());
                }
            }
            case PodVerdict.Starting starting -> {
                int limit = settings.common().containerInitTimeoutSeconds();
                if (Duration.between(starting.scheduledAt(), clock.instant()).toSeconds() >= limit) {
                    String initTail = starting.initContainerBusy() ? logs.tail(name, TaskPodBuilder.INIT) : "";
                    finaliser.end(taskId.get(), Failure.NotStarted.of(limit, starting.holdup(), initTail));
                    finaliser.removePod(name, false);
                }
            }
            case PodVerdict.Running running when o.deleted() -> finaliser.podGone(taskId.get(), name);
            case PodVerdict.Running running -> {
                int hours = settings.common().taskTimeoutHours();
                if (Duration.between(running.since(), clock.instant()).compareTo(Duration.ofHours(hours)) >= 0) {
                    // Recorded first, so the sidecar's CANCELLED on SIGTERM cannot win over it.
                    finaliser.end(taskId.get(), new Failure.TimeExceeded(hours));
                    finaliser.removePod(name, true);
                }
            }
            case PodVerdict.Stopping stopping when o.deleted() -> finaliser.podGone(taskId.get(), name);
            case PodVerdict.Stopping stopping -> {
                // Its delete event follows, unless its node is lost: then nothing will ever confirm the end.
                Duration overdue = stopping.deadline() == null ? Duration.ZERO : Duration.between(stopping.deadline(), clock.instant());
                if (overdue.compareTo(settings.room().terminatingMargin()) >= 0) {
                    finaliser.podLost(taskId.get(), name, new Failure.NodeLost(overdue));
                }
            }
        }
    }
}
