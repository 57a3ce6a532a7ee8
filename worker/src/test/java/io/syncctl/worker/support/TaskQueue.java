package io.syncctl.worker.support;

import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultEffects;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.db.Db;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts tasks the way the api does (task row + result-table acceptance in one transaction, then
 * a JobRunr job carrying only the id), plays the sidecar's result writes, and reads the result
 * tables the way clients poll them.
 */
public final class TaskQueue {
    public static final byte[] KEY = java.util.Base64.getDecoder().decode("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    public static final String CONFIG = "{\"host\":\"db\",\"password\":\"connector-pw-123\"}";

    private final Db db;
    private final TaskStore store = new TaskStore(new PayloadCipher(KEY));
    private final DataSource dataSource;
    private volatile JobScheduler scheduler;
    private volatile StorageProvider storage;

    public TaskQueue(DataSource dataSource) {
        this.dataSource = dataSource;
        this.db = new Db(dataSource);
    }

    public TaskRecord accept(TaskType type) throws SQLException {
        String unique = UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        String key = null, syncId = null, taskId = null;
        Map<String, String> options = new LinkedHashMap<>();
        TaskPayload payload = TaskPayload.config(CONFIG);
        switch (type) {
            case SPEC -> payload = TaskPayload.empty();
            case CHECK, DISCOVER -> key = "key-" + unique;
            case READ -> {
                syncId = "sync-" + unique;
                taskId = "run-" + unique;
                id = JobIds.readTask(taskId);
                options.put("tableNamePrefix", "t_");
                payload = new TaskPayload(CONFIG, "{\"streams\":[]}", "{}", "{\"destinationType\":\"postgres\",\"password\":\"dest-pw\"}");
            }
        }
        TaskRecord t = TaskRecord.accepted(id, type, "test/source-" + unique, "1.0", key, syncId, taskId, options);
        TaskPayload p = payload;
        db.tx(c -> {
            store.insert(c, t, p);
            return ResultEffects.accepted(c, t.ref(), "queued");
        });
        return task(id);
    }

    public TaskRecord task(UUID id) throws SQLException {
        return db.tx(c -> store.find(c, id)).orElseThrow();
    }

    public void enqueueLaunch(TaskRecord t) {
        UUID id = t.id();
        String label = t.label();
        scheduler().<TaskJobs>enqueue(JobIds.launch(id), j -> j.launch(id, label));
    }

    /**
     * A launch job that JobRunr retries {@code retries} times (the api's jobs: 8): scheduled far
     * ahead first, so no job server takes it before it is changed, then enqueued.
     */
    public void enqueueLaunch(TaskRecord t, int retries) {
        UUID id = t.id();
        String label = t.label();
        scheduler().<TaskJobs>schedule(JobIds.launch(id), java.time.Instant.now().plusSeconds(3600), j -> j.launch(id, label));
        org.jobrunr.jobs.Job job = storage().getJobById(JobIds.launch(id));
        job.setAmountOfRetries(retries);
        job.enqueue();
        storage().save(job);
    }

    /** A launch job that waits an hour (SCHEDULED): alive, not yet run. */
    public void scheduleLaunch(TaskRecord t) {
        UUID id = t.id();
        String label = t.label();
        scheduler().<TaskJobs>schedule(JobIds.launch(id), java.time.Instant.now().plusSeconds(3600), j -> j.launch(id, label));
    }

    /** Deletes the task's launch job as the dashboard's delete button does (state DELETED). */
    public void deleteLaunchJob(TaskRecord t) {
        scheduler().delete(JobIds.launch(t.id()), "deleted from the dashboard");
    }

    /** The state of the task's launch job, or null when there is none. */
    public String launchJobState(TaskRecord t) {
        try {
            return storage().getJobById(JobIds.launch(t.id())).getState().name();
        } catch (org.jobrunr.storage.JobNotFoundException e) {
            return null;
        }
    }

    /** Many launch jobs in one batch insert (a backlog appearing at once). */
    public void enqueueLaunches(List<TaskRecord> tasks) {
        List<UUID> ids = tasks.stream().map(TaskRecord::id).toList();
        scheduler().<TaskJobs, UUID>enqueue(ids.stream(), (j, id) -> j.launch(id, "bench"));
    }

    public void enqueueCancel(TaskRecord t) throws SQLException {
        db.tx(c -> store.requestCancel(c, t.id()));
        UUID id = t.id();
        String label = t.label();
        scheduler().<TaskJobs>enqueue(JobIds.cancel(id), j -> j.cancel(id, label));
    }

    public void requestCancel(TaskRecord t) throws SQLException {
        db.tx(c -> store.requestCancel(c, t.id()));
    }

    private synchronized JobScheduler scheduler() {
        if (scheduler == null) {
            storage = JobRunrStorage.open(dataSource, io.syncctl.shared.testing.TestSchemas.internal());
            scheduler = new JobScheduler(storage);
        }
        return scheduler;
    }

    private synchronized StorageProvider storage() {
        scheduler();
        return storage;
    }

    // ---- the sidecar's writes ---------------------------------------------------------------------

    public void sidecarSucceeds(TaskRecord t) throws SQLException {
        String result = switch (t.type()) {
            case SPEC -> "{\"connectionSpecification\":{}}";
            case CHECK -> "ok";
            case DISCOVER -> "{\"streams\":[]}";
            case READ -> "{\"users\":{\"events\":3}}";
        };
        db.tx(c -> ResultEffects.succeeded(c, t.ref(), result));
    }

    public void sidecarCancels(TaskRecord t) throws SQLException {
        db.tx(c -> ResultTables.readFinished(c, t.taskId(), ReadStatus.CANCELLED, "cancelled", null, null));
    }

    // ---- what clients see -------------------------------------------------------------------------

    /** status and description of the task's result row ("" status when there is no row). */
    public Map<String, String> result(TaskRecord t) throws SQLException {
        return switch (t.type()) {
            case SPEC -> row("SELECT CASE WHEN specs IS NULL THEN 'FAILED' ELSE 'SUCCESS' END AS status, error AS description"
                    + " FROM source_spec WHERE package = ? AND version = ?", t.pkg(), t.version());
            case CHECK -> row("SELECT status, description FROM source_check WHERE key = ?", t.storageKey());
            case DISCOVER -> row("SELECT status, description FROM source_catalog WHERE key = ?", t.storageKey());
            case READ -> row("SELECT status, description, error, updated_at::text AS updated_at FROM source_task WHERE task_id = ?", t.taskId());
        };
    }

    public List<String> logLines(TaskRecord t) throws SQLException {
        return db.tx(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT level || ' ' || logger || ' ' || message FROM task_log WHERE task_id = ? ORDER BY \"timestamp\"")) {
                ps.setString(1, t.taskId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    public boolean payloadCleared(TaskRecord t) throws SQLException {
        return row("SELECT (payload IS NULL)::text AS cleared FROM syncctl_task WHERE id = ?", t.id()).get("cleared").equals("true");
    }

    public void execute(String sql, Object... args) throws SQLException {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    public Map<String, String> row(String sql, Object... args) throws SQLException {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, String> out = new LinkedHashMap<>();
                    if (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            out.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                        }
                    } else {
                        out.put("status", "");
                    }
                    return out;
                }
            }
        });
    }
}
