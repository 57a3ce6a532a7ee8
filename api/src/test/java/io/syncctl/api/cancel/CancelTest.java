package io.syncctl.api.cancel;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.db.Transactions;
import io.syncctl.api.support.Ids;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CancelTest {
    static final String READ_BODY = "{\"config\":{},\"catalog\":{\"streams\":[]},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}";

    @Inject
    TaskStore store;
    @Inject
    Transactions transactions;

    @Test
    void aQueuedReadIsCancelledAtOnce() {
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        read(taskId, syncId);
        UUID id = JobIds.readTask(taskId);
        cancel(taskId, syncId).then().statusCode(200).body("ok", equalTo(true)).body("phase", equalTo("CANCELLED"));
        assertEquals("CANCELLED", one("SELECT status FROM source_task WHERE task_id = ?", taskId));
        assertEquals("CANCELLED", one("SELECT phase FROM syncctl_task WHERE id = ?", id));
        assertNull(one("SELECT payload FROM syncctl_task WHERE id = ?", id));
        assertEquals("DELETED", one("SELECT state FROM jobrunr_jobs WHERE id = ?", JobIds.launch(id).toString()));
        assertEquals(0, count("SELECT count(*) FROM jobrunr_jobs WHERE id = ?", JobIds.cancel(id).toString()));
        // the sync is free again, and cancelling twice is harmless
        cancel(taskId, syncId).then().statusCode(200).body("message", containsString("already finished"));
        read(Ids.unique("task"), syncId);
    }

    @Test
    void aLaunchedReadGetsOneCancelJobForTheWorker() throws Exception {
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        read(taskId, syncId);
        UUID id = JobIds.readTask(taskId);
        boolean launched = transactions.inTransaction(c -> store.markLaunched(c, id, "pod-1", "default"));
        assertTrue(launched);
        cancel(taskId, syncId).then().statusCode(200).body("phase", equalTo("LAUNCHED"))
                .body("message", containsString("queued"));
        cancel(taskId, syncId).then().statusCode(200).body("message", containsString("already requested"));
        assertEquals(1, count("SELECT count(*) FROM jobrunr_jobs WHERE id = ? AND state = 'ENQUEUED'", JobIds.cancel(id).toString()));
        String job = one("SELECT jobasjson FROM jobrunr_jobs WHERE id = ?", JobIds.cancel(id).toString());
        assertTrue(job.contains("cancel read airbyte/source-faker:1 sync=" + syncId + " task=" + taskId), job);
        // the console sees the read cancelled at once; the worker stops the pod after
        assertEquals("CANCELLED|cancelled on request", one("SELECT status || '|' || description FROM source_task WHERE task_id = ?", taskId));
        assertEquals("LAUNCHED", one("SELECT phase FROM syncctl_task WHERE id = ?", id));
        // and the sync may run again
        read(Ids.unique("task"), syncId);
    }

    @Test
    void aQueuedDiscoverCancelledByItsIdFailsItsCatalogRow() {
        String key = Ids.unique("key");
        String id = given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/discover").then().statusCode(200)
                .extract().path("taskId");
        cancel(id, "any").then().statusCode(200).body("phase", equalTo("CANCELLED"));
        assertEquals("FAILED|cancelled before it started",
                one("SELECT status || '|' || description FROM source_catalog WHERE key = ?", key));
    }

    @Test
    void unknownOrMismatchedTasksAreAnsweredOkAsGoDoesAndChangeNothing() {
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        cancel(taskId, syncId).then().statusCode(200).body("ok", equalTo(true)).body("phase", equalTo(null))
                .body("message", containsString("nothing to cancel"));
        read(taskId, syncId);
        cancel(taskId, Ids.unique("other")).then().statusCode(200).body("ok", equalTo(true)).body("phase", equalTo(null));
        assertEquals("RUNNING", one("SELECT status FROM source_task WHERE task_id = ?", taskId));
        assertEquals("QUEUED", one("SELECT phase FROM syncctl_task WHERE id = ?", JobIds.readTask(taskId)));
    }

    @Test
    void aRunningRowNoTaskOfOursOwnsIsMarkedCancelledAsGoDoes() {
        // e.g. a read the console runs itself, or one left by a previous controller
        String taskId = UUID.randomUUID().toString();
        String syncId = Ids.unique("sync");
        execute("INSERT INTO source_task (sync_id, task_id, package, version, status, description) VALUES (?, ?, 'jitsu', '0.0.1', 'RUNNING', 'Started')",
                syncId, taskId);
        cancel(taskId, Ids.unique("other")).then().statusCode(200);
        assertEquals("RUNNING", one("SELECT status FROM source_task WHERE task_id = ?", taskId), "another sync's row is left alone");
        given().queryParam("taskId", taskId).queryParam("syncId", syncId).queryParam("package", "jitsu")
                .queryParam("workspaceId", "ws1").get("/cancel").then().statusCode(200).body("ok", equalTo(true))
                .body("message", containsString("marked CANCELLED"));
        assertEquals("CANCELLED|cancelled on request", one("SELECT status || '|' || description FROM source_task WHERE task_id = ?", taskId));
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", taskId));
    }

    @Test
    void theConsolesIdsAreAccepted() {
        String taskId = UUID.randomUUID().toString();
        String syncId = "cm" + Ids.unique("sync").replace("-", "") + "x".repeat(900);
        read(taskId, syncId);
        cancel(taskId, syncId).then().statusCode(200).body("phase", equalTo("CANCELLED"));
        assertEquals("CANCELLED", one("SELECT status FROM source_task WHERE task_id = ?", taskId));
    }

    @Test
    void parametersAreValidated() {
        given().queryParam("syncId", "s").get("/cancel").then().statusCode(400).body("error", containsString("'taskId'"));
        given().queryParam("taskId", "t").get("/cancel").then().statusCode(400).body("error", containsString("'syncId'"));
        given().queryParam("taskId", "t").queryParam("syncId", "s").queryParam("package", "BAD")
                .get("/cancel").then().statusCode(400).body("error", containsString("'package'"));
    }

    static void read(String taskId, String syncId) {
        given().contentType(ContentType.JSON).body(READ_BODY).queryParam("package", "airbyte/source-faker")
                .queryParam("version", "1").queryParam("taskId", taskId).queryParam("syncId", syncId)
                .post("/read").then().statusCode(200);
    }

    static io.restassured.response.Response cancel(String taskId, String syncId) {
        return given().queryParam("taskId", taskId).queryParam("syncId", syncId).get("/cancel");
    }
}
