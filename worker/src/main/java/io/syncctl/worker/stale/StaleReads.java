package io.syncctl.worker.stale;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.TaskRef;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.launch.TaskLabels;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Closes reads left RUNNING with no pod and no update for an hour (CONTRACT section 2): whatever ran
 * them is gone for good (a lost cluster, a task from before a disaster recovery). A pod being deleted
 * does not count: on a lost node it can stay Terminating for ever. A read still
 * waiting in the queue is not stale: it has no pod yet by design. The conditional update behind
 * {@link ResultEffects#failed} lets one replica close each.
 */
public final class StaleReads {
    private static final Logger LOG = Logger.getLogger(StaleReads.class);
    public static final String REASON = "no pod has been running this read and it has not been updated for over an hour;"
            + " it was lost (worker or cluster failure)";

    /** A RUNNING read not updated for this long, with no pod, is lost. */
    static final Duration IDLE = Duration.ofHours(1);
    private static final int BATCH = 1000;

    private final Db db;
    private final TaskStore store;
    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public StaleReads(Db db, TaskStore store, KubernetesClient client, String namespace, Clock clock) {
        this.db = db;
        this.store = store;
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** Returns how many reads it closed. */
    public int closeStale() throws Exception {
        List<TaskStore.OpenRead> candidates = db.tx(c -> store.idleReads(c, clock.instant().minus(IDLE), BATCH));
        int closed = 0;
        for (TaskStore.OpenRead s : candidates) {
            UUID id = JobIds.readTask(s.taskId());
            // A pod being deleted runs nothing: one stuck Terminating (a lost node) does not keep the read open.
            boolean podExists = client.pods().inNamespace(namespace).withLabel(TaskLabels.TASK, id.toString())
                    .list().getItems().stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
            if (podExists) {
                continue;
            }
            boolean won = db.tx(c -> {
                if (!ResultEffects.failed(c, TaskRef.read(s.syncId(), s.taskId()), ReadStatus.FAILED, REASON)) {
                    return false;
                }
                store.markEnded(c, id, TaskOutcome.STALE);
                return true;
            });
            if (won) {
                closed++;
                LOG.infof("closed stale read sync=%s task=%s", s.syncId(), s.taskId());
            }
        }
        return closed;
    }
}
