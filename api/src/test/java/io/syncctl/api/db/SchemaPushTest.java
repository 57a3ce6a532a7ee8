package io.syncctl.api.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import io.syncctl.api.support.TestDb;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.testing.SchemaPush;
import io.syncctl.shared.testing.TestSchemas;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.column;
import static io.syncctl.api.support.TestDb.count;
import static io.syncctl.api.support.TestDb.one;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Jitsu console runs {@code prisma db push --accept-data-loss} on the result schema at every start
 * (it drops what its models do not declare). Queued work and our own tables must survive it, and the
 * api must keep accepting tasks on the pushed tables. Own schemas: the push must not reach other tests.
 */
@QuarkusTest
@TestProfile(SchemaPushTest.OwnSchemas.class)
class SchemaPushTest {
    static final String RESULTS = TestSchemas.named("push");
    static final String INTERNAL = TestSchemas.named("push_internal");
    static final String READ_BODY = "{\"config\":{},\"catalog\":{\"streams\":[]},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}";

    public static class OwnSchemas implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("SYNCCTL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/syncctl_api_test?search_path=" + RESULTS,
                    "SYNCCTL_INTERNAL_SCHEMA", INTERNAL);
        }

        @Override
        public void stop() {
            TestDb.execute("DROP SCHEMA IF EXISTS " + RESULTS + " CASCADE");
            TestDb.execute("DROP SCHEMA IF EXISTS " + INTERNAL + " CASCADE");
        }
    }

    @Test
    void queuedWorkSurvivesTheConsolesSchemaPushAndNewRequestsWork() throws Exception {
        String key = Ids.unique("key");
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        UUID check = UUID.fromString(given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/check").then().statusCode(200)
                .extract().path("taskId"));
        read(taskId, syncId).then().statusCode(200);
        UUID read = JobIds.readTask(taskId);
        List<String> internalBefore = column("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", INTERNAL);

        try (Connection c = TestDb.connect()) {
            SchemaPush.push(c, RESULTS);
        }

        assertEquals(internalBefore, column("SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY 1", INTERNAL));
        assertEquals(List.of("QUEUED", "QUEUED"), column("SELECT phase FROM " + INTERNAL + ".syncctl_task WHERE id IN (?, ?)", check, read));
        assertEquals(List.of("ENQUEUED", "ENQUEUED"), column("SELECT state FROM " + INTERNAL + ".jobrunr_jobs WHERE id IN (?, ?)",
                JobIds.launch(check).toString(), JobIds.launch(read).toString()));
        assertEquals("RUNNING", one("SELECT status FROM " + RESULTS + ".source_task WHERE task_id = ?", taskId));
        assertEquals(0, count("SELECT count(*) FROM information_schema.columns WHERE table_schema = ? AND table_name = 'source_task'"
                + " AND column_name IN ('metrics', 'error')", RESULTS), "the push dropped what the console does not declare");

        // the api keeps working on the pushed tables: a second read of the sync is refused, cancel, new tasks
        read(Ids.unique("task"), syncId).then().statusCode(409);
        given().queryParam("taskId", taskId).queryParam("syncId", syncId).get("/cancel").then().statusCode(200)
                .body("ok", equalTo(true));
        assertEquals("CANCELLED", one("SELECT status FROM " + RESULTS + ".source_task WHERE task_id = ?", taskId));
        String next = Ids.unique("task");
        read(next, syncId).then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("storageKey", Ids.unique("key")).post("/discover").then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM " + INTERNAL + ".syncctl_task WHERE task_id = ?", next));
    }

    static io.restassured.response.Response read(String taskId, String syncId) {
        return given().contentType(ContentType.JSON).body(READ_BODY).queryParam("package", "airbyte/source-faker")
                .queryParam("version", "1").queryParam("taskId", taskId).queryParam("syncId", syncId).post("/read");
    }
}
