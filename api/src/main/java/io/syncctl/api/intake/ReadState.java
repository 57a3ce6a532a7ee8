package io.syncctl.api.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the database holds about a batch of reads, for {@link Admission}: which internal task ids
 * exist in {@code syncctl_task} (a repeated /read), the RUNNING read of each sync (its taskId), and
 * which client taskIds already have a {@code source_task} row. Immutable.
 *
 * <p>{@link #load} fetches it in one round trip once the batch's syncs are locked. Each lookup probes
 * an index per key (a lateral join) rather than {@code col = ANY (?)}: PostgreSQL caches one generic
 * plan per prepared statement, and a plan made while a table was small (a sequential scan) would stay
 * when it has grown.
 */
record ReadState(Set<UUID> existingTasks, Map<String, String> running, Set<String> usedTaskIds) {

    static final ReadState NONE = new ReadState(Set.of(), Map.of(), Set.of());

    ReadState {
        existingTasks = Set.copyOf(existingTasks);
        running = Map.copyOf(running);
        usedTaskIds = Set.copyOf(usedTaskIds);
    }

    /** The same state, knowing that these taskIds have a {@code source_task} row too. */
    ReadState withUsedTaskIds(Collection<String> taskIds) {
        Set<String> used = new HashSet<>(usedTaskIds);
        used.addAll(taskIds);
        return new ReadState(existingTasks, running, used);
    }

    private static final String SQL = """
            SELECT 't', q.id::text, NULL FROM unnest(?::uuid[]) AS q (id)
              CROSS JOIN LATERAL (SELECT 1 FROM syncctl_task t WHERE t.id = q.id LIMIT 1) AS found
            UNION ALL
            SELECT 'r', s.sync_id, r.task_id FROM unnest(?::text[]) AS s (sync_id)
              CROSS JOIN LATERAL (SELECT task_id FROM source_task t WHERE t.sync_id = s.sync_id AND t.status = 'RUNNING'
                                  ORDER BY t.started_at DESC LIMIT 1) AS r
            UNION ALL
            SELECT 'u', q.task_id, NULL FROM unnest(?::text[]) AS q (task_id)
              CROSS JOIN LATERAL (SELECT 1 FROM source_task t WHERE t.task_id = q.task_id LIMIT 1) AS found""";

    static ReadState load(Connection c, Collection<UUID> ids, Collection<String> syncIds, Collection<String> taskIds)
            throws SQLException {
        Set<UUID> existing = new HashSet<>();
        Map<String, String> running = new HashMap<>();
        Set<String> used = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", syncIds.toArray()));
            ps.setArray(3, c.createArrayOf("text", taskIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "t" -> existing.add(UUID.fromString(rs.getString(2)));
                        case "r" -> running.put(rs.getString(2), rs.getString(3));
                        default -> used.add(rs.getString(2));
                    }
                }
            }
        }
        return new ReadState(existing, running, used);
    }
}
