package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.syncctl.api.errors.ApiException;
import io.syncctl.api.intake.TaskIntake.Outcome;
import io.syncctl.api.intake.TaskIntake.Pending;
import io.syncctl.api.metrics.IntakeMetrics;
import io.syncctl.api.support.Ids;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.syncctl.api.support.TestDb.count;
import static io.syncctl.api.support.TestDb.execute;
import static io.syncctl.api.support.TestDb.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group commit's rules, on batches composed by hand (so each case is exactly one batch): every
 * task of a batch gets the answer it would get alone, and a failing task costs the others nothing.
 */
@QuarkusTest
class GroupCommitTest {
    static final String PKG = "airbyte/source-faker";

    @Inject
    TaskIntake intake;
    @Inject
    IntakeMetrics metrics;

    static Pending read(String taskId, String syncId) {
        return new Pending(TaskRecord.accepted(JobIds.readTask(taskId), TaskType.READ, PKG, "1.0", null, syncId, taskId,
                Map.of("startedBy", "{\"by\":\"test\"}")), new TaskPayload("{\"c\":1}", "{}", "{}", "{}"));
    }

    static Pending config(TaskType type, String key) {
        return new Pending(TaskRecord.accepted(UUID.randomUUID(), type, PKG, "1.0", key, null, null, Map.of()),
                TaskPayload.config("{\"c\":1}"));
    }

    static Object answer(Pending p) {
        try {
            return p.answer().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String jobState(UUID taskId) {
        return one("SELECT state FROM jobrunr_jobs WHERE id = ?", JobIds.launch(taskId).toString());
    }

    @Test
    void aMixedBatchCommitsEveryTaskWithItsEffect() {
        String key = Ids.unique("key");
        String discoverKey = Ids.unique("key");
        execute("INSERT INTO source_check (package, version, key, status, description, \"timestamp\") VALUES ('p', 'v', ?, 'SUCCESS', 'old', now())", key);
        Pending check = config(TaskType.CHECK, key);
        Pending discover = config(TaskType.DISCOVER, discoverKey);
        Pending spec = new Pending(TaskRecord.accepted(UUID.randomUUID(), TaskType.SPEC, PKG, "1.0", null, null, null, Map.of()),
                TaskPayload.empty());
        Pending read = read(Ids.unique("task"), Ids.unique("sync"));
        intake.commit(List.of(check, discover, spec, read));

        for (Pending p : List.of(check, discover, spec, read)) {
            assertEquals(Outcome.CREATED, answer(p));
            assertEquals("QUEUED", one("SELECT phase FROM syncctl_task WHERE id = ?", p.task().id()));
            assertEquals("ENQUEUED", jobState(p.task().id()));
        }
        assertEquals(0, count("SELECT count(*) FROM source_check WHERE key = ?", key));
        assertEquals("RUNNING", one("SELECT status FROM source_catalog WHERE key = ?", discoverKey));
        // started_by is jsonb, as the console has it: compared as JSON
        assertEquals("RUNNING|true", one("SELECT status || '|' || (started_by::jsonb = '{\"by\":\"test\"}'::jsonb) FROM source_task WHERE task_id = ?",
                read.task().taskId()));
    }

    @Test
    void aSecondReadOfTheSameSyncInOneBatchGets409() {
        String sync = Ids.unique("sync");
        Pending first = read(Ids.unique("task"), sync);
        Pending second = read(Ids.unique("task"), sync);
        intake.commit(List.of(first, second));

        assertEquals(Outcome.CREATED, answer(first));
        ApiException refused = assertInstanceOf(ApiException.class, answer(second));
        assertEquals(409, refused.status());
        assertEquals("sync '" + sync + "' already has a running read: taskId '" + first.task().taskId() + "'", refused.getMessage());
        assertEquals(1, count("SELECT count(*) FROM source_task WHERE sync_id = ?", sync));
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE id = ?", second.task().id()));
        assertNull(jobState(second.task().id()));
    }

    @Test
    void theSameTaskIdTwiceInOneBatchIsOneTask() {
        String taskId = Ids.unique("task");
        String sync = Ids.unique("sync");
        Pending first = read(taskId, sync);
        Pending again = read(taskId, sync);
        intake.commit(List.of(first, again));

        assertEquals(Outcome.CREATED, answer(first));
        assertEquals(Outcome.ALREADY_EXISTS, answer(again));
        assertEquals(1, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", taskId));
        assertEquals(1, count("SELECT count(*) FROM source_task WHERE task_id = ?", taskId));
        // and again in a later batch, beside a new read of another sync
        Pending later = read(taskId, sync);
        Pending other = read(Ids.unique("task"), Ids.unique("sync"));
        intake.commit(List.of(later, other));
        assertEquals(Outcome.ALREADY_EXISTS, answer(later));
        assertEquals(Outcome.CREATED, answer(other));
    }

    @Test
    void aTaskIdUsedElsewhereIsRefusedWithoutBlockingItsSync() {
        String used = Ids.unique("task");
        String sync = Ids.unique("sync");
        execute("INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('other', ?, 'p', 'v', 'SUCCESS')", used);
        Pending refused = read(used, sync);
        Pending next = read(Ids.unique("task"), sync);
        intake.commit(List.of(refused, next));

        ApiException e = assertInstanceOf(ApiException.class, answer(refused));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains(used), e.getMessage());
        assertEquals(Outcome.CREATED, answer(next));
    }

    @Test
    void aTaskIdTakenAfterTheLookIsRefusedAndTheBatchDecidedAgain() {
        // another writer's row appears between our look and our insert: a trigger writes it just before ours
        execute("""
                CREATE OR REPLACE FUNCTION syncctl_test_race() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.task_id LIKE 'raced-%' AND NEW.sync_id <> 'elsewhere' THEN
                    INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('elsewhere', NEW.task_id, 'p', 'v', 'SUCCESS');
                  END IF;
                  RETURN NEW;
                END $$""");
        execute("CREATE TRIGGER syncctl_test_race BEFORE INSERT ON source_task FOR EACH ROW EXECUTE FUNCTION syncctl_test_race()");
        try {
            String sync = Ids.unique("sync");
            Pending raced = read(Ids.unique("raced"), sync);
            Pending next = read(Ids.unique("task"), sync);
            Pending other = read(Ids.unique("task"), Ids.unique("sync"));
            intake.commit(List.of(raced, next, other));

            ApiException e = assertInstanceOf(ApiException.class, answer(raced));
            assertEquals("taskId '" + raced.task().taskId() + "' was already used by another task in source_task", e.getMessage());
            // alone, the next read of that sync would have run: so it does
            assertEquals(Outcome.CREATED, answer(next));
            assertEquals(Outcome.CREATED, answer(other));
            assertEquals("elsewhere|SUCCESS", one("SELECT sync_id || '|' || status FROM source_task WHERE task_id = ?", raced.task().taskId()));
            assertEquals(next.task().taskId(), one("SELECT task_id FROM source_task WHERE sync_id = ? AND status = 'RUNNING'", sync));
            assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE id = ?", raced.task().id()));
            for (Pending created : List.of(next, other)) {
                assertEquals(1, count("SELECT count(*) FROM source_task WHERE task_id = ?", created.task().taskId()));
                assertEquals("ENQUEUED", jobState(created.task().id()));
            }
        } finally {
            execute("DROP TRIGGER IF EXISTS syncctl_test_race ON source_task");
        }
    }

    @Test
    void oneFailingTaskNeitherFailsNorLosesTheOthers() {
        // a database error for one row only: a trigger refuses tasks whose key or taskId starts with "poison-"
        execute("""
                CREATE OR REPLACE FUNCTION syncctl_test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF coalesce(NEW.storage_key, NEW.task_id) LIKE 'poison-%' THEN RAISE EXCEPTION 'poisoned task'; END IF;
                  RETURN NEW;
                END $$""");
        execute("CREATE TRIGGER syncctl_test_poison BEFORE INSERT ON syncctl_task FOR EACH ROW EXECUTE FUNCTION syncctl_test_poison()");
        double splitBefore = metrics.batchesSplit();
        try {
            Pending good1 = config(TaskType.CHECK, Ids.unique("key"));
            Pending badRead = read(Ids.unique("poison"), Ids.unique("sync"));
            Pending badCheck = config(TaskType.CHECK, Ids.unique("poison"));
            Pending good2 = read(Ids.unique("task"), Ids.unique("sync"));
            intake.commit(List.of(good1, badRead, badCheck, good2));

            assertEquals(splitBefore + 1, metrics.batchesSplit());
            for (Pending good : List.of(good1, good2)) {
                assertEquals(Outcome.CREATED, answer(good));
                assertEquals("ENQUEUED", jobState(good.task().id()));
            }
            assertEquals("RUNNING", one("SELECT status FROM source_task WHERE task_id = ?", good2.task().taskId()));
            for (Pending bad : List.of(badRead, badCheck)) {
                ApiException e = assertInstanceOf(ApiException.class, answer(bad));
                assertEquals(503, e.status());
                assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE id = ?", bad.task().id()));
                assertNull(jobState(bad.task().id()));
            }
            // the refused read left no RUNNING row behind, so its sync is free
            assertEquals(0, count("SELECT count(*) FROM source_task WHERE task_id = ?", badRead.task().taskId()));
        } finally {
            execute("DROP TRIGGER IF EXISTS syncctl_test_poison ON syncctl_task");
        }
    }

    @Test
    void batchesSharingSyncsInOppositeOrderDoNotDeadlock() throws Exception {
        List<String> syncs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            syncs.add(Ids.unique("sync"));
        }
        double splitBefore = metrics.batchesSplit();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Pending> all = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                List<Pending> forward = new ArrayList<>();
                List<Pending> backward = new ArrayList<>();
                for (int i = 0; i < syncs.size(); i++) {
                    forward.add(read(Ids.unique("task"), syncs.get(i)));
                    backward.add(read(Ids.unique("task"), syncs.get(syncs.size() - 1 - i)));
                }
                Future<?> a = pool.submit(() -> intake.commit(forward));
                Future<?> b = pool.submit(() -> intake.commit(backward));
                a.get(60, TimeUnit.SECONDS);
                b.get(60, TimeUnit.SECONDS);
                all.addAll(forward);
                all.addAll(backward);
            }
            // no batch was rolled back (a deadlock would have split one), and each sync has one read
            assertEquals(splitBefore, metrics.batchesSplit());
            long created = all.stream().map(GroupCommitTest::answer).filter(Outcome.CREATED::equals).count();
            assertEquals(syncs.size(), created);
            for (Pending p : all) {
                Object a = answer(p);
                assertTrue(a == Outcome.CREATED || (a instanceof ApiException e && e.status() == 409), String.valueOf(a));
            }
            for (String sync : syncs) {
                assertEquals(1, count("SELECT count(*) FROM source_task WHERE sync_id = ? AND status = 'RUNNING'", sync));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyTasksSubmittedAtOnceAllGetTheirAnswer() throws Exception {
        // through the batcher: every one of many tasks queued at once is committed and answered
        List<CompletableFuture<Outcome>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(intake.accept(config(TaskType.CHECK, Ids.unique("key")).task(), TaskPayload.config("{}")).toCompletableFuture());
        }
        for (CompletableFuture<Outcome> a : answers) {
            assertEquals(Outcome.CREATED, a.get(30, TimeUnit.SECONDS));
        }
    }
}
