package io.syncctl.worker.stale;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.finalise.Outcome;
import io.syncctl.worker.launch.TaskLabels;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Closes reads left RUNNING with no pod and no update for an hour (CONTRACT section 2): whatever ran
 * them is gone for good (a lost cluster, a task from before a disaster recovery). A read still
 * waiting in the queue is not stale: it has no pod yet by design. The conditional update of
 * {@link ResultTables#readFinished} lets one replica close each.
 */
public final class StaleReads {
    private static final Logger LOG = Logger.getLogger(StaleReads.class);
    public static final String REASON = "no pod has been running this read and it has not been updated for over an hour;"
            + " it was lost (worker or cluster failure)";

    private final Db db;
    private final TaskStore store;
    private final KubernetesClient client;
    private final String namespace;

    public StaleReads(Db db, TaskStore store, KubernetesClient client, String namespace) {
        this.db = db;
        this.store = store;
        this.client = client;
        this.namespace = namespace;
    }

    record Candidate(String syncId, String taskId) {
    }

    /** Returns how many reads it closed. */
    public int closeStale() throws Exception {
        List<Candidate> candidates = db.tx(c -> {
            List<Candidate> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.sync_id, s.task_id FROM source_task s
                    LEFT JOIN syncctl_task t ON t.type = 'read' AND t.sync_id = s.sync_id AND t.task_id = s.task_id
                    WHERE s.status = 'RUNNING' AND s.updated_at < now() - interval '1 hour'
                      AND t.phase IS DISTINCT FROM 'QUEUED'
                    LIMIT 1000""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        });
        int closed = 0;
        for (Candidate s : candidates) {
            UUID id = JobIds.readTask(s.taskId());
            boolean podExists = !client.pods().inNamespace(namespace).withLabel(TaskLabels.TASK, id.toString())
                    .list().getItems().isEmpty();
            if (podExists) {
                continue;
            }
            boolean won = db.tx(c -> {
                if (!ResultTables.readFinished(c, s.taskId(), ReadStatus.FAILED, REASON, REASON, null)) {
                    return false;
                }
                ResultTables.log(c, LogLine.ours(LogLine.Level.ERROR, "task ended: " + REASON, s.syncId(), s.taskId()));
                store.markDone(c, id, Outcome.STALE);
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
