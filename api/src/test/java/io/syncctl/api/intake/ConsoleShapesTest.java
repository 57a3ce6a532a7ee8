package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import io.syncctl.shared.task.JobIds;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.count;
import static io.syncctl.api.support.TestDb.one;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests the Jitsu console really sends (webapps/console: sources/check.ts, discover.ts,
 * lib/server/sync.ts scheduleSync), with its key shapes and parameters, end to end into the tables.
 */
@QuarkusTest
class ConsoleShapesTest {
    static final String PKG = "airbyte/source-postgres";
    static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";

    /** {@code <workspaceId>_<serviceId>_<md5 hex>_<queryId>}: cuids, about 110 characters. */
    static String checkKey() {
        return "cm" + Ids.unique("ws").replace("-", "") + "_cm1svc0000000000000000000_" + MD5 + "_cm2qry0000000000000000000";
    }

    @Test
    void checkWithTheConsolesKeyIsQueuedUnderThatKey() {
        String key = checkKey();
        assertTrue(key.length() > 100, key);
        String id = given().contentType(ContentType.JSON).body("{\"config\":{\"host\":\"db\"}}")
                .queryParam("package", PKG).queryParam("version", "3.6.2").queryParam("storageKey", key)
                .post("/check").then().statusCode(200).body("ok", equalTo(true)).extract().path("taskId");
        UUID task = UUID.fromString(id);
        assertEquals(key, one("SELECT storage_key FROM syncctl_task WHERE id = ?", task));
        String job = one("SELECT jobasjson FROM jobrunr_jobs WHERE id = ?", JobIds.launch(task).toString());
        assertTrue(job.contains("launch check " + PKG + ":3.6.2 key=" + key + " task=" + task), job);
    }

    @Test
    void discoverWithTheConsolesKeyMarksThatCatalogRunning() {
        String key = "cm" + Ids.unique("ws").replace("-", "") + "_cm1svc0000000000000000000_" + MD5;
        given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", PKG).queryParam("version", "3.6.2")
                .queryParam("storageKey", key).post("/discover").then().statusCode(200);
        assertEquals("RUNNING", one("SELECT status FROM source_catalog WHERE key = ? AND package = ?", key, PKG));
    }

    @Test
    void readAsScheduleSyncSendsIt() {
        String taskId = UUID.randomUUID().toString();
        String syncId = "cm" + Ids.unique("sync").replace("-", "");
        String startedBy = "{\"trigger\":\"manual\",\"name\":\"Ann Example\",\"email\":\"ann@example.com\","
                + "\"internalId\":\"cm9user\",\"externalId\":\"12345\",\"loginProvider\":\"github\"}";
        given().contentType(ContentType.JSON).body(IntakeTest.readBody())
                .queryParam("package", PKG).queryParam("version", "3.6.2").queryParam("taskId", taskId).queryParam("syncId", syncId)
                .queryParam("fullSync", "false").queryParam("startedBy", startedBy).queryParam("namespace", "${LEGACY}")
                .queryParam("toSameCase", "false").queryParam("tableNamePrefix", "")
                .post("/read").then().statusCode(200).body("ok", equalTo(true)).body("taskId", equalTo(taskId));
        assertEquals("RUNNING", one("SELECT status FROM source_task WHERE task_id = ? AND sync_id = ?", taskId, syncId));
        // started_by is jsonb, as the console has it: the same JSON, not the same text
        assertEquals("true", one("SELECT (started_by::jsonb = ?::jsonb)::text FROM source_task WHERE task_id = ?", startedBy, taskId));
        String options = one("SELECT options::text FROM syncctl_task WHERE id = ?", JobIds.readTask(taskId));
        assertTrue(options.contains("\"namespace\":\"${LEGACY}\""), options);
        assertTrue(!options.contains("tableNamePrefix"), "an empty prefix is no prefix: " + options);
    }

    @Test
    void namesWithMacrosAndFreeTextUpTo256Characters() {
        String taskId = UUID.randomUUID().toString();
        String prefix = "${SOURCE_NAMESPACE}_raw ";
        String base = "Analytics ${SOURCE_NAMESPACE} é";
        String namespace = base + "n".repeat(256 - base.length());
        assertEquals(256, namespace.length());
        IntakeTest.read(taskId, Ids.unique("sync")).queryParam("namespace", namespace).queryParam("tableNamePrefix", prefix)
                .post("/read").then().statusCode(200);
        String options = one("SELECT options->>'namespace' || '|' || (options->>'tableNamePrefix') FROM syncctl_task WHERE id = ?",
                JobIds.readTask(taskId));
        assertEquals(namespace + "|" + prefix, options);
        IntakeTest.read(UUID.randomUUID().toString(), Ids.unique("sync")).queryParam("namespace", namespace + "x")
                .post("/read").then().statusCode(400).body("error", equalTo(
                        "query parameter 'namespace' must be at most 256 characters without control characters"));
    }

    @Test
    void longestIdsAreStoredWholeAndTheJobStaysSmall() {
        String syncId = Ids.unique("s") + "y".repeat(1000);
        String taskId = Ids.unique("t") + "z".repeat(1000);
        IntakeTest.read(taskId, syncId).post("/read").then().statusCode(200).body("taskId", equalTo(taskId));
        UUID id = JobIds.readTask(taskId);
        assertEquals(syncId + "|" + taskId, one("SELECT sync_id || '|' || task_id FROM syncctl_task WHERE id = ?", id));
        assertEquals(1, count("SELECT count(*) FROM source_task WHERE task_id = ? AND sync_id = ?", taskId, syncId));
        String job = one("SELECT jobasjson FROM jobrunr_jobs WHERE id = ?", JobIds.launch(id).toString());
        assertTrue(job.length() < 2000, "the job names a shortened label: " + job.length() + " characters");
        // the same read again is recognised by its whole taskId, and a second read of the sync names it whole
        IntakeTest.read(taskId, syncId).post("/read").then().statusCode(200).body("message",
                equalTo("task '" + taskId + "' already exists; nothing new was queued"));
        IntakeTest.read(Ids.unique("other"), syncId).post("/read").then().statusCode(409)
                .body("error", equalTo("sync '" + syncId + "' already has a running read: taskId '" + taskId + "'"));
    }

    @Test
    void startedByIsAlwaysStoredAsJson() {
        assertStartedBy("{\"trigger\":\"scheduled\"}", "{\"trigger\": \"scheduled\"}");
        assertStartedBy("scheduler", "\"scheduler\"");
        assertStartedBy("true story", "\"true story\"");
        assertStartedBy("{\"a\":1} {\"b\":2}", "\"{\\\"a\\\":1} {\\\"b\\\":2}\"");
        assertStartedBy("{\"a\":\"\\u0000\"}", "\"{\\\"a\\\":\\\"\\\\u0000\\\"}\"");
        assertStartedBy("1e999999", "\"1e999999\"");
        assertStartedBy("42", "42");
    }

    private static void assertStartedBy(String sent, String storedAsJsonb) {
        String taskId = UUID.randomUUID().toString();
        IntakeTest.read(taskId, Ids.unique("sync")).queryParam("startedBy", sent).post("/read").then().statusCode(200);
        assertEquals(storedAsJsonb, one("SELECT started_by::jsonb::text FROM source_task WHERE task_id = ?", taskId), sent);
    }
}
