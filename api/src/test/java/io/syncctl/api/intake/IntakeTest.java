package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.support.Ids;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.count;
import static io.syncctl.api.support.TestDb.execute;
import static io.syncctl.api.support.TestDb.one;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class IntakeTest {
    static final String PKG = "airbyte/source-faker";
    static final String CONFIG = "{\"z_last\":1,\"a_first\":{\"y\":[3,2,1],\"b\":1.50},\"big\":12345678901234567890123,\"s\":\"\\u00e9\"}";
    static final String CATALOG = "{\"streams\":[{\"stream\":{\"name\":\"users\"},\"sync_mode\":\"full_refresh\"}]}";
    static final String DEST = "{\"destinationType\":\"postgres\",\"host\":\"db\",\"database\":\"d\",\"password\":\"p\"}";

    @Inject
    TaskStore store;
    @Inject
    Transactions transactions;

    static RequestSpecification json(String body) {
        return given().contentType(ContentType.JSON).body(body);
    }

    static String readBody() {
        return "{\"config\":" + CONFIG + ",\"catalog\":" + CATALOG + ",\"state\":{\"cursor\":5},\"destinationConfig\":" + DEST + "}";
    }

    static String jobState(UUID jobId) {
        return one("SELECT state FROM jobrunr_jobs WHERE id = ?", jobId.toString());
    }

    @Test
    void specIsQueuedWithStartedAt() {
        long before = System.currentTimeMillis() / 1000;
        String id = given().queryParam("package", PKG).queryParam("version", "6.2.1").queryParam("connectorType", "airbyte")
                .get("/spec").then().statusCode(200)
                .body("ok", equalTo(true)).body("status", equalTo("ok")).body("startedAt", notNullValue())
                .extract().path("taskId");
        UUID task = UUID.fromString(id);
        assertEquals("spec|QUEUED", one("SELECT type || '|' || phase FROM syncctl_task WHERE id = ?", task));
        assertEquals("ENQUEUED", jobState(JobIds.launch(task)));
        String jobJson = one("SELECT jobasjson FROM jobrunr_jobs WHERE id = ?", JobIds.launch(task).toString());
        assertTrue(jobJson.contains("launch spec airbyte/source-faker:6.2.1 task=" + task), jobJson);
        assertTrue(before <= System.currentTimeMillis() / 1000);
    }

    @Test
    void checkRemovesThePreviousResultAndQueuesALaunchJob() {
        String key = Ids.unique("key");
        execute("INSERT INTO source_check (package, version, key, status, description) VALUES (?, '1', ?, 'SUCCESS', 'old')", PKG, key);
        String id = json("{\"config\":" + CONFIG + "}").queryParam("package", PKG).queryParam("version", "1.0")
                .queryParam("storageKey", key).post("/check").then().statusCode(200).body("ok", equalTo(true))
                .extract().path("taskId");
        assertEquals(0, count("SELECT count(*) FROM source_check WHERE key = ?", key));
        UUID task = UUID.fromString(id);
        assertEquals("check|" + key, one("SELECT type || '|' || storage_key FROM syncctl_task WHERE id = ?", task));
        assertEquals("ENQUEUED", jobState(JobIds.launch(task)));
        assertEquals(TaskPayload.config(CONFIG), payload(task));
    }

    @Test
    void discoverMarksTheCatalogRunning() {
        String key = Ids.unique("key");
        json("{\"config\":{}}").queryParam("package", "registry.example.com:5000/team/source-x").queryParam("version", "v2")
                .queryParam("storageKey", key).post("/discover").then().statusCode(200);
        assertEquals("RUNNING", one("SELECT status FROM source_catalog WHERE key = ?", key));
    }

    @Test
    void readInsertsARunningTaskAndKeepsTheJsonExactly() {
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        read(taskId, syncId).queryParam("startedBy", "{\"trigger\":\"manual\",\"user\":\"u1\"}")
                .queryParam("tableNamePrefix", "pre_").queryParam("fullSync", "TRUE").queryParam("namespace", "ns1")
                .post("/read").then().statusCode(200).body("taskId", equalTo(taskId)).body("message", equalTo(null));
        assertEquals("RUNNING", one("SELECT status FROM source_task WHERE task_id = ?", taskId));
        // started_by is jsonb, as the console has it: the same JSON, not the same text
        assertEquals("true", one("SELECT (started_by::jsonb = '{\"trigger\":\"manual\",\"user\":\"u1\"}'::jsonb)::text FROM source_task WHERE task_id = ?", taskId));
        assertEquals(syncId, one("SELECT sync_id FROM source_task WHERE task_id = ?", taskId));
        UUID id = JobIds.readTask(taskId);
        assertEquals("{\"tableNamePrefix\":\"pre_\",\"namespace\":\"ns1\",\"fullSync\":\"true\",\"startedBy\":\"{\\\"trigger\\\":\\\"manual\\\",\\\"user\\\":\\\"u1\\\"}\"}",
                one("SELECT options::text FROM syncctl_task WHERE id = ?", id));
        assertEquals(new TaskPayload(CONFIG, CATALOG, "{\"cursor\":5}", DEST), payload(id));
        String jobJson = one("SELECT jobasjson FROM jobrunr_jobs WHERE id = ?", JobIds.launch(id).toString());
        assertTrue(jobJson.contains("launch read airbyte/source-faker:1.0 sync=" + syncId + " task=" + taskId), jobJson);
    }

    @Test
    void readWithoutStateGetsAnEmptyObjectAndPlainStartedByBecomesAJsonString() {
        String taskId = Ids.unique("task");
        read(taskId, Ids.unique("sync"), "{\"config\":{},\"catalog\":{\"streams\":[]},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}")
                .queryParam("startedBy", "scheduler").post("/read").then().statusCode(200);
        assertEquals("{}", payload(JobIds.readTask(taskId)).stateJson());
        assertEquals("\"scheduler\"", one("SELECT started_by::text FROM source_task WHERE task_id = ?", taskId));
    }

    @Test
    void theSameReadTwiceIsOneTask() {
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        read(taskId, syncId).post("/read").then().statusCode(200).body("message", equalTo(null));
        read(taskId, syncId).post("/read").then().statusCode(200).body("ok", equalTo(true))
                .body("message", containsString("already exists"));
        assertEquals(1, count("SELECT count(*) FROM source_task WHERE task_id = ?", taskId));
        assertEquals(1, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", taskId));
        assertEquals(1, count("SELECT count(*) FROM jobrunr_jobs WHERE id = ?", JobIds.launch(JobIds.readTask(taskId)).toString()));
    }

    @Test
    void aSecondReadOfARunningSyncIsAConflictNamingTheRunningTask() {
        String first = Ids.unique("task");
        String syncId = Ids.unique("sync");
        read(first, syncId).post("/read").then().statusCode(200);
        String second = Ids.unique("task");
        read(second, syncId).post("/read").then().statusCode(409).body("ok", equalTo(false))
                .body("error", containsString(first));
        assertEquals(0, count("SELECT count(*) FROM source_task WHERE task_id = ?", second));
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", second));
        // once the first read has ended, the sync may run again
        execute("UPDATE source_task SET status = 'SUCCESS' WHERE task_id = ?", first);
        read(second, syncId).post("/read").then().statusCode(200);
    }

    @Test
    void concurrentReadsOfOneSyncLetExactlyOneIn() throws Exception {
        String syncId = Ids.unique("sync");
        int n = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < n; i++) {
                String taskId = Ids.unique("task");
                futures.add(pool.submit(() -> read(taskId, syncId).post("/read").statusCode()));
            }
            int ok = 0;
            int conflict = 0;
            for (var f : futures) {
                int status = f.get();
                ok += status == 200 ? 1 : 0;
                conflict += status == 409 ? 1 : 0;
            }
            assertEquals(1, ok);
            assertEquals(n - 1, conflict);
            assertEquals(1, count("SELECT count(*) FROM source_task WHERE sync_id = ? AND status = 'RUNNING'", syncId));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskIdAlreadyInSourceTaskIsRefused() {
        String taskId = Ids.unique("task");
        execute("INSERT INTO source_task (sync_id, task_id, package, version, status) VALUES ('other', ?, 'p', 'v', 'SUCCESS')", taskId);
        read(taskId, Ids.unique("sync")).post("/read").then().statusCode(409).body("error", containsString(taskId));
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", taskId));
    }

    @Test
    void aFailureAfterTheEnqueueLeavesNeitherRowNorJob() {
        UUID id = UUID.randomUUID();
        var task = io.syncctl.shared.task.TaskRecord.accepted(id, io.syncctl.shared.task.TaskType.CHECK, PKG, "1",
                "k", null, null, java.util.Map.of());
        var jobs = io.quarkus.arc.Arc.container().instance(io.syncctl.api.jobs.JobQueue.class).get();
        RuntimeException boom = new RuntimeException("boom after enqueue");
        RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> transactions.inTransaction(c -> {
                    store.insert(c, task, TaskPayload.config("{}"));
                    jobs.enqueueLaunch(task);
                    assertEquals("ENQUEUED", one("SELECT 'ENQUEUED'")); // the work ran this far
                    throw boom;
                }));
        assertEquals(boom, thrown);
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE id = ?", id));
        assertNull(jobState(JobIds.launch(id)));
        // the same work without the failure commits both
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> transactions.inTransaction(c -> {
            store.insert(c, task, TaskPayload.config("{}"));
            jobs.enqueueLaunch(task);
            return null;
        }));
        assertEquals(1, count("SELECT count(*) FROM syncctl_task WHERE id = ?", id));
        assertEquals("ENQUEUED", jobState(JobIds.launch(id)));
    }

    static RequestSpecification read(String taskId, String syncId) {
        return read(taskId, syncId, readBody());
    }

    static RequestSpecification read(String taskId, String syncId, String body) {
        return json(body).queryParam("package", PKG).queryParam("version", "1.0")
                .queryParam("taskId", taskId).queryParam("syncId", syncId);
    }

    TaskPayload payload(UUID id) {
        try {
            return transactions.inTransaction(c -> store.payload(c, id).orElseThrow());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
