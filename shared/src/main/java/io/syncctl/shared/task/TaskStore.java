package io.syncctl.shared.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.payload.TaskPayload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Plain JDBC access to {@code syncctl_task}. Every method takes the caller's connection so it joins
 * the caller's transaction (the api commits the task row, the result-table effect and the JobRunr job
 * together). Phase changes are conditional updates that return whether this caller won, so several
 * workers observing the same event change the row once (DESIGN principle 2). In particular
 * {@link #markLaunched} fails once the api has cancelled a queued task: the launch job must then
 * create nothing.
 */
public final class TaskStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = """
            id, type, package, version, storage_key, sync_id, task_id, options::text AS options, phase, pod_name,
            accepted_at, launched_at, finished_at, outcome, cancel_requested_at""";

    /** Rows per multi-row INSERT: far below PostgreSQL's 65,535 bind parameters. */
    private static final int MAX_ROWS_PER_INSERT = 500;

    private final PayloadCipher cipher;

    public TaskStore(PayloadCipher cipher) {
        this.cipher = cipher;
    }

    /** Stores a new task with its encrypted payload. Returns false (and changes nothing) if the id exists. */
    public boolean insert(Connection c, TaskRecord t, TaskPayload payload) throws SQLException {
        return update(c, """
                INSERT INTO syncctl_task (id, type, package, version, storage_key, sync_id, task_id, options, payload, phase)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::json, ?, 'QUEUED')
                ON CONFLICT (id) DO NOTHING""",
                t.id(), t.type().command(), t.pkg(), t.version(), t.storageKey(), t.syncId(), t.taskId(),
                optionsJson(t.options()), cipher.encrypt(t.id(), payload)) == 1;
    }

    /** A task to store with {@link #insertAll}. */
    public record NewTask(TaskRecord task, TaskPayload payload) {
    }

    /**
     * {@link #insert} for many tasks in one statement (the api's group commit). Returns the ids that
     * were inserted; an id that already existed is left unchanged and missing from the result.
     */
    public Set<UUID> insertAll(Connection c, List<NewTask> tasks) throws SQLException {
        Set<UUID> inserted = new HashSet<>();
        for (int from = 0; from < tasks.size(); from += MAX_ROWS_PER_INSERT) {
            List<NewTask> chunk = tasks.subList(from, Math.min(tasks.size(), from + MAX_ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder("""
                    INSERT INTO syncctl_task (id, type, package, version, storage_key, sync_id, task_id, options, payload, phase)
                    VALUES """);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?::json, ?, 'QUEUED')");
            }
            sql.append(" ON CONFLICT (id) DO NOTHING RETURNING id");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (NewTask n : chunk) {
                    TaskRecord t = n.task();
                    ps.setObject(p++, t.id());
                    ps.setString(p++, t.type().command());
                    ps.setString(p++, t.pkg());
                    ps.setString(p++, t.version());
                    ps.setString(p++, t.storageKey());
                    ps.setString(p++, t.syncId());
                    ps.setString(p++, t.taskId());
                    ps.setString(p++, optionsJson(t.options()));
                    ps.setBytes(p++, cipher.encrypt(t.id(), n.payload()));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return inserted;
    }

    public Optional<TaskRecord> find(Connection c, UUID id) throws SQLException {
        List<TaskRecord> found = query(c, "SELECT " + COLUMNS + " FROM syncctl_task WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Locks the row until the caller's transaction ends, so a phase check and its follow-up cannot race. */
    public Optional<TaskRecord> findForUpdate(Connection c, UUID id) throws SQLException {
        List<TaskRecord> found = query(c, "SELECT " + COLUMNS + " FROM syncctl_task WHERE id = ? FOR UPDATE", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The decrypted payload, or empty once the task has finished (payloads are cleared then). */
    public Optional<TaskPayload> payload(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM syncctl_task WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getBytes(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(cipher.decrypt(id, rs.getBytes(1)));
            }
        }
    }

    /**
     * QUEUED -> LAUNCHED, with where its pod is. False if the task is no longer queued (cancelled, or
     * another worker won).
     */
    public boolean markLaunched(Connection c, UUID id, String podName, String podNamespace) throws SQLException {
        return update(c, """
                UPDATE syncctl_task SET phase = 'LAUNCHED', pod_name = ?, pod_namespace = ?, launched_at = now()
                WHERE id = ? AND phase = 'QUEUED'""", podName, podNamespace, id) == 1;
    }

    /**
     * Notes that launching the task failed (again) and returns for how long it has been failing, on the
     * database's clock so every replica measures the same span.
     */
    public Duration launchFailingFor(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = prepare(c, """
                UPDATE syncctl_task SET launch_failing_since = COALESCE(launch_failing_since, now()) WHERE id = ?
                RETURNING EXTRACT(EPOCH FROM now() - launch_failing_since)""", id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Duration.ofMillis((long) (rs.getDouble(1) * 1000)) : Duration.ZERO;
        }
    }

    /**
     * Where a queued task stands: {@code launched} tasks have a pod (over all replicas and namespaces),
     * {@code ahead} queued tasks were accepted before it and are not being cancelled. Read in one
     * statement, so replicas deciding at once each see a consistent count: the task whose
     * {@code launched + ahead} is below a limit is one of the oldest that fit.
     */
    public record QueuePlace(int launched, int ahead, Instant acceptedAt) {
    }

    /** The task's {@link QueuePlace}, or empty if it is not queued (or is being cancelled: it needs no room). */
    public Optional<QueuePlace> queuePlace(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = prepare(c, """
                SELECT (SELECT count(*) FROM syncctl_task WHERE phase = 'LAUNCHED'),
                       (SELECT count(*) FROM syncctl_task q WHERE q.phase = 'QUEUED' AND q.cancel_requested_at IS NULL
                          AND (q.accepted_at, q.id) < (me.accepted_at, me.id)),
                       me.accepted_at
                FROM syncctl_task me WHERE me.id = ? AND me.phase = 'QUEUED' AND me.cancel_requested_at IS NULL""", id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new QueuePlace(rs.getInt(1), rs.getInt(2), instant(rs, "accepted_at")))
                    : Optional.empty();
        }
    }

    /** LAUNCHED tasks whose pod is in {@code namespace} and was created before {@code launchedBefore}, oldest first. */
    public List<TaskRecord> listLaunched(Connection c, String namespace, Instant launchedBefore) throws SQLException {
        return query(c, "SELECT " + COLUMNS + """
                 FROM syncctl_task WHERE phase = 'LAUNCHED' AND pod_namespace = ? AND launched_at < ?
                ORDER BY launched_at""", namespace, Timestamp.from(launchedBefore));
    }

    /** A read left RUNNING in {@code source_task}: its keys. */
    public record OpenRead(String syncId, String taskId) {
    }

    /**
     * Reads RUNNING in {@code source_task} and not updated since {@code idleSince}, unless their task
     * still waits in the queue (a queued read has no pod yet by design). At most {@code limit}.
     */
    public List<OpenRead> idleReads(Connection c, Instant idleSince, int limit) throws SQLException {
        try (PreparedStatement ps = prepare(c, """
                SELECT s.sync_id, s.task_id FROM source_task s
                LEFT JOIN syncctl_task t ON t.type = 'read' AND t.sync_id = s.sync_id AND t.task_id = s.task_id
                WHERE s.status = 'RUNNING' AND s.updated_at < ?
                  AND t.phase IS DISTINCT FROM 'QUEUED'
                LIMIT ?""", Timestamp.from(idleSince), limit);
             ResultSet rs = ps.executeQuery()) {
            List<OpenRead> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new OpenRead(rs.getString(1), rs.getString(2)));
            }
            return out;
        }
    }

    /**
     * Ends a task that is not yet terminal, in the phase its outcome implies (CANCELLED or DONE); its
     * payload is erased. False if it had already ended: of several replicas ending one task, one wins.
     */
    public boolean markEnded(Connection c, UUID id, TaskOutcome outcome) throws SQLException {
        return update(c, """
                UPDATE syncctl_task SET phase = ?, outcome = ?, finished_at = now(), payload = NULL
                WHERE id = ? AND phase IN ('QUEUED', 'LAUNCHED')""", outcome.phase().name(), outcome.name(), id) == 1;
    }

    /** Records that a client asked to cancel a running task. False if already requested or ended. */
    public boolean requestCancel(Connection c, UUID id) throws SQLException {
        return update(c, """
                UPDATE syncctl_task SET cancel_requested_at = now()
                WHERE id = ? AND cancel_requested_at IS NULL AND phase IN ('QUEUED', 'LAUNCHED')""", id) == 1;
    }

    /**
     * Whether a cancel of the task was requested (the sidecar asks on SIGTERM: a cancel, or Kubernetes
     * stopping the pod). False for an unknown task. Static: it needs no payload key.
     */
    /**
     * Whether the task already ended (the worker finalised it, e.g. on a timeout, before deleting its pod):
     * a SIGTERM then is the worker's own doing, and the end it recorded stands.
     */
    public static boolean ended(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT phase IN ('DONE', 'CANCELLED') FROM syncctl_task WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    public static boolean cancelRequested(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT cancel_requested_at IS NOT NULL FROM syncctl_task WHERE id = ?", id);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    public void clearPayload(Connection c, UUID id) throws SQLException {
        update(c, "UPDATE syncctl_task SET payload = NULL WHERE id = ?", id);
    }

    /** Oldest first. */
    public List<TaskRecord> listByPhase(Connection c, TaskPhase phase, int limit) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM syncctl_task WHERE phase = ? ORDER BY accepted_at LIMIT ?",
                phase.name(), limit);
    }

    /** How many tasks are in {@code phase} (index {@code syncctl_task_phase_idx}). */
    public long countByPhase(Connection c, TaskPhase phase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM syncctl_task WHERE phase = ?")) {
            ps.setString(1, phase.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String optionsJson(Map<String, String> options) {
        try {
            return JSON.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("options are not serialisable", e);
        }
    }

    private static Map<String, String> options(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("syncctl_task.options is not a JSON object of strings", e);
        }
    }

    private static List<TaskRecord> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<TaskRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new TaskRecord(rs.getObject("id", UUID.class), TaskType.ofCommand(rs.getString("type")),
                        rs.getString("package"), rs.getString("version"), rs.getString("storage_key"),
                        rs.getString("sync_id"), rs.getString("task_id"), options(rs.getString("options")),
                        TaskPhase.valueOf(rs.getString("phase")), rs.getString("pod_name"),
                        instant(rs, "accepted_at"), instant(rs, "launched_at"), instant(rs, "finished_at"),
                        TaskOutcome.of(rs.getString("outcome")), instant(rs, "cancel_requested_at")));
            }
            return out;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }
}
