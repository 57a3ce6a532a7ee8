package io.syncctl.shared.results;

import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskOutcome;
import io.syncctl.shared.task.TaskType;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each task type's acceptance, answer, failure, cancel and recorded end do to the result tables
 * (CONTRACT section 2, "When rows change"), as a client polling them sees it: once on the console's
 * tables, once on ours.
 */
abstract class ResultEffectsContract extends ResultsOnPostgres {

    @Test
    void acceptanceOfEachType() throws Exception {
        exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('src', '1.0', NULL, 'pending')");
        ResultTables.checkFinished(c, "src", "1.0", "ck", true, "old", null);
        ResultTables.discoverSucceeded(c, "src", "1.0", "dk", "{\"streams\":[]}");

        assertTrue(ResultEffects.accepted(c, task(TaskType.SPEC), "queued"));
        assertTrue(ResultEffects.accepted(c, task(TaskType.CHECK), "queued"));
        assertTrue(ResultEffects.accepted(c, task(TaskType.DISCOVER), "queued"));
        TaskRef read = read("t1", "scheduler");
        assertTrue(ResultEffects.accepted(c, read, "queued"));

        assertEquals(List.of("pending"), rows("SELECT error FROM source_spec"), "a client's placeholder stays until the result");
        assertEquals(List.of(), rows("SELECT key FROM source_check"), "pollers see the check pending");
        assertEquals(List.of("RUNNING|true"), rows("SELECT status || '|' || (catalog IS NOT NULL) FROM source_catalog"));
        assertEquals(List.of("RUNNING|queued|src|1.0"),
                rows("SELECT status || '|' || description || '|' || package || '|' || version FROM source_task WHERE task_id = 't1'"));
        assertJson("\"scheduler\"", one("SELECT started_by::text FROM source_task WHERE task_id = 't1'"));
        assertFalse(ResultEffects.accepted(c, read, "queued"), "a read's row exists once");
    }

    @Test
    void aBatchIsAcceptedAsEachTaskAloneAndNamesTheReadsAnotherWriterHad() throws Exception {
        ResultTables.checkFinished(c, "src", "1.0", "ck", true, "old", null);
        exec("INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('console', 'taken', 'src', '1.0', 'SUCCESS')");
        Set<String> taken = ResultEffects.acceptedAll(c, List.of(read("t1", "{\"trigger\":\"manual\"}"), task(TaskType.CHECK),
                read("taken", null), task(TaskType.DISCOVER), task(TaskType.SPEC)), "queued");
        assertEquals(Set.of("taken"), taken);
        assertEquals(List.of("t1:RUNNING", "taken:SUCCESS"), rows("SELECT task_id || ':' || status FROM source_task ORDER BY task_id"));
        assertJson("{\"trigger\":\"manual\"}", one("SELECT started_by::text FROM source_task WHERE task_id = 't1'"));
        assertEquals(List.of(), rows("SELECT key FROM source_check"));
        assertEquals(List.of("RUNNING"), rows("SELECT status FROM source_catalog"));
        assertEquals(Set.of(), ResultEffects.acceptedAll(c, List.of(), "queued"));
    }

    @Test
    void answersOfEachType() throws Exception {
        exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('src', '1.0', NULL, 'pending')");
        assertTrue(ResultEffects.succeeded(c, task(TaskType.SPEC), "{\"connectionSpecification\":{}}"));
        assertTrue(ResultEffects.succeeded(c, task(TaskType.CHECK), ""));
        ResultEffects.accepted(c, task(TaskType.DISCOVER), "queued");
        assertTrue(ResultEffects.succeeded(c, task(TaskType.DISCOVER), "{\"streams\":[{\"name\":\"users\"}]}"));
        TaskRef read = read("t1", null);
        ResultEffects.accepted(c, read, "queued");
        assertTrue(ResultEffects.succeeded(c, read, "{\"users\":{\"status\":\"SUCCESS\"}}"));

        assertEquals(List.of("null"), rows("SELECT coalesce(error, 'null') FROM source_spec"));
        assertJson("{\"connectionSpecification\":{}}", one("SELECT specs::text FROM source_spec"));
        assertEquals(List.of("SUCCESS|"), rows("SELECT status || '|' || description FROM source_check"), "\"\", never null");
        assertEquals(List.of("SUCCESS"), rows("SELECT status FROM source_catalog"));
        assertJson("{\"streams\":[{\"name\":\"users\"}]}", one("SELECT catalog::text FROM source_catalog"));
        assertEquals(List.of("SUCCESS"), rows("SELECT status FROM source_task"));
        assertFalse(ResultEffects.succeeded(c, read, "again"), "a terminal read is never overwritten");
    }

    @Test
    void aFailureOfASpecOrCheckNeverReplacesWhatIsNewer() throws Exception {
        ResultEffects.succeeded(c, task(TaskType.SPEC), "{\"connectionSpecification\":{}}");
        assertFalse(ResultEffects.failed(c, task(TaskType.SPEC), ReadStatus.FAILED, "image not found"));
        assertEquals(List.of("null"), rows("SELECT coalesce(error, 'null') FROM source_spec"), "never over a good spec");

        TaskRef older = acceptedCheck("10 seconds");
        TaskRef newer = acceptedCheck("1 second");
        assertFalse(ResultEffects.failed(c, older, ReadStatus.CANCELLED, "cancelled before it started"));
        assertEquals(List.of(), rows("SELECT key FROM source_check"), "the newer check is still pending");
        assertTrue(ResultEffects.failed(c, newer, ReadStatus.CANCELLED, "cancelled before it started"));
        assertEquals(List.of("FAILED|cancelled before it started"), rows("SELECT status || '|' || description FROM source_check"),
                "a cancelled check reads as a failed one");
    }

    @Test
    void aDiscoverFailureNeverOverwritesASuccessWrittenSinceItWasAccepted() throws Exception {
        TaskRef first = task(TaskType.DISCOVER, dbNow());
        ResultEffects.accepted(c, first, "queued");
        TaskRef second = task(TaskType.DISCOVER, dbNow());
        ResultEffects.accepted(c, second, "queued");
        ResultEffects.succeeded(c, second, "{\"streams\":[]}");
        assertFalse(ResultEffects.failed(c, first, ReadStatus.FAILED, "late failure of the first"));
        assertEquals(List.of("SUCCESS"), rows("SELECT status FROM source_catalog"));

        TaskRef third = task(TaskType.DISCOVER, dbNow().plusSeconds(1)); // accepted after that success
        assertTrue(ResultEffects.failed(c, third, ReadStatus.TIME_EXCEEDED, "ran too long"));
        assertEquals(List.of("FAILED|ran too long|true"),
                rows("SELECT status || '|' || description || '|' || (catalog IS NOT NULL) FROM source_catalog"));
    }

    @Test
    void aReadEndsOnceWithItsReasonAndOneLogLine() throws Exception {
        TaskRef failed = read("t1", null);
        TaskRef cancelled = read("t2", null);
        ResultEffects.acceptedAll(c, List.of(failed, cancelled), "queued");
        assertTrue(ResultEffects.failed(c, failed, ReadStatus.FAILED, "out of memory"));
        assertFalse(ResultEffects.failed(c, failed, ReadStatus.FAILED, "pod disappeared"), "one winner");
        assertTrue(ResultEffects.failed(c, cancelled, ReadStatus.CANCELLED, "cancelled on request"));
        assertEquals(List.of("t1|FAILED|out of memory", "t2|CANCELLED|cancelled on request"),
                rows("SELECT task_id || '|' || status || '|' || description FROM source_task ORDER BY task_id"));
        assertEquals(List.of("t1 ERROR syncctl task ended: out of memory", "t2 WARN syncctl task ended: cancelled on request"),
                rows("SELECT task_id || ' ' || level || ' ' || logger || ' ' || message FROM task_log ORDER BY task_id"));
        assertThrows(IllegalArgumentException.class, () -> ResultEffects.failed(c, failed, ReadStatus.PARTIAL, "x"));
    }

    @Test
    void aCancelRequestEndsOnlyAReadAtOnce() throws Exception {
        ResultTables.discoverSucceeded(c, "src", "1.0", "dk", "{\"streams\":[]}");
        TaskRef discover = task(TaskType.DISCOVER);
        ResultEffects.accepted(c, discover, "queued");
        assertFalse(ResultEffects.cancelRequested(c, discover, "cancelled on request"));
        assertEquals(List.of("RUNNING"), rows("SELECT status FROM source_catalog"), "written when the stopped pod ends");

        exec("INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('s', 'theirs', 'src', '1.0', 'RUNNING')");
        assertTrue(ResultEffects.cancelRequested(c, TaskRef.read("s", "theirs"), "cancelled on request"));
        assertEquals(List.of("CANCELLED"), rows("SELECT status FROM source_task"));
    }

    @Test
    void whatWasRecordedSinceTheTaskWasAccepted() throws Exception {
        exec("INSERT INTO source_spec (package, version, specs, error) VALUES ('src', '1.0', NULL, 'pending')");
        TaskRef spec = task(TaskType.SPEC, dbNow());
        assertEquals(Optional.empty(), ResultEffects.recorded(c, spec), "a placeholder is no result");
        ResultEffects.failed(c, spec, ReadStatus.FAILED, "image not found");
        assertEquals(Optional.of(TaskOutcome.FAILED), ResultEffects.recorded(c, spec));
        assertEquals(Optional.empty(), ResultEffects.recorded(c, task(TaskType.SPEC, dbNow().plusSeconds(1))),
                "an earlier task's result is not a later task's");

        TaskRef check = task(TaskType.CHECK, dbNow());
        ResultEffects.accepted(c, check, "queued");
        assertEquals(Optional.empty(), ResultEffects.recorded(c, check));
        ResultEffects.succeeded(c, check, "ok");
        assertEquals(Optional.of(TaskOutcome.SUCCESS), ResultEffects.recorded(c, check));

        TaskRef discover = task(TaskType.DISCOVER, dbNow());
        ResultEffects.accepted(c, discover, "queued");
        assertEquals(Optional.empty(), ResultEffects.recorded(c, discover), "RUNNING is no result");
        ResultEffects.failed(c, discover, ReadStatus.FAILED, "boom");
        assertEquals(Optional.of(TaskOutcome.FAILED), ResultEffects.recorded(c, discover));

        TaskRef read = read("t1", null);
        ResultEffects.accepted(c, read, "queued");
        assertEquals(Optional.empty(), ResultEffects.recorded(c, read));
        ResultTables.readFinished(c, "t1", ReadStatus.PARTIAL, "{}", "one stream failed", null); // the sidecar's end
        assertEquals(Optional.of(TaskOutcome.PARTIAL), ResultEffects.recorded(c, read));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static TaskRef task(TaskType type) throws SQLException {
        return task(type, dbNow());
    }

    private static TaskRef task(TaskType type, Instant acceptedAt) {
        String key = type == TaskType.CHECK ? "ck" : type == TaskType.DISCOVER ? "dk" : null;
        return new TaskRef(UUID.randomUUID(), type, "src", "1.0", key, null, null, null, acceptedAt);
    }

    private static TaskRef read(String taskId, String startedBy) throws SQLException {
        return new TaskRef(JobIds.readTask(taskId), TaskType.READ, "src", "1.0", null, "sync-" + taskId, taskId, startedBy, dbNow());
    }

    /** A check task row accepted {@code ago}, as the api stores it: the guard against superseded results reads it. */
    private static TaskRef acceptedCheck(String ago) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO syncctl_task (id, type, package, version, storage_key, accepted_at) VALUES ('" + id
                + "', 'check', 'src', '1.0', 'ck', now() - interval '" + ago + "')");
        return new TaskRef(id, TaskType.CHECK, "src", "1.0", "ck", null, null, null, Instant.parse(one(
                "SELECT to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM syncctl_task WHERE id = '" + id + "'")));
    }

    /** The database's clock: result timestamps come from it. */
    private static Instant dbNow() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
