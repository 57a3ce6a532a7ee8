package io.syncctl.e2e.support;

import java.time.Duration;
import java.util.Map;

/** Waiting for the result rows a client polls for (CONTRACT section 2), as the client would. */
public final class Results {
    private final Db db;

    public Results(Db db) {
        this.db = db;
    }

    public Db db() {
        return db;
    }

    /** The spec row once it holds a result (not the client's 'pending' placeholder). */
    public Map<String, Object> spec(String pkg, String version, Duration timeout) {
        return Await.value("the spec result of " + pkg + ":" + version, timeout, () -> db.row(
                "SELECT specs, error FROM source_spec WHERE package = ? AND version = ? AND (specs IS NOT NULL OR error <> 'pending')",
                pkg, version));
    }

    public Map<String, Object> check(String storageKey, Duration timeout) {
        return Await.value("the check result of " + storageKey, timeout, () -> db.row(
                "SELECT status, description FROM source_check WHERE key = ?", storageKey));
    }

    public Map<String, Object> discover(String storageKey, Duration timeout) {
        return Await.value("the discover result of " + storageKey, timeout, () -> db.row(
                "SELECT status, description, catalog FROM source_catalog WHERE key = ? AND status <> 'RUNNING'", storageKey));
    }

    /** The read's source_task row once it is terminal. */
    public Map<String, Object> read(String taskId, Duration timeout) {
        return Await.value("the end of read " + taskId, timeout, () -> db.row(
                "SELECT status, description, error, metrics FROM source_task WHERE task_id = ? AND status <> 'RUNNING'", taskId));
    }

    /**
     * Waits until the running read's progress (its description, refreshed by the sidecar's heartbeat)
     * counts at least {@code events} records of {@code stream}: the read is under way. Its destination
     * table cannot tell: a replacing stream becomes visible only when it completes.
     */
    public void streamProgress(String taskId, String stream, long events, Duration timeout) {
        Await.until(events + " records of " + stream + " in the progress of " + taskId, timeout, () -> db.row(
                "SELECT description FROM source_task WHERE task_id = ? AND status = 'RUNNING' AND description LIKE '{%'", taskId)
                .map(r -> Db.json(r.get("description")).path(stream).path("events").asLong() >= events).orElse(false));
    }

    public String taskStatus(String taskId) {
        return db.row("SELECT status FROM source_task WHERE task_id = ?", taskId).map(r -> (String) r.get("status")).orElse(null);
    }
}
