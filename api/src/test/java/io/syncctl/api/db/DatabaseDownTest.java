package io.syncctl.api.db;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import io.syncctl.shared.testing.TcpProxy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.column;
import static io.syncctl.api.support.TestDb.count;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The api on a custom {@code search_path} and SYNCCTL_INTERNAL_SCHEMA, through a proxy: the result
 * tables land in the first, our own tables in the second, and while the database is unreachable the
 * api answers 503 and stores nothing.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.Proxied.class)
class DatabaseDownTest {
    static final String SCHEMA = ProxiedCustomSchemaResource.SCHEMA;
    static final String INTERNAL = ProxiedCustomSchemaResource.INTERNAL;

    public static class Proxied implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProxiedCustomSchemaResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true; // this profile's database, not TestSchemasResource's
        }
    }

    TcpProxy proxy;

    @Test
    void resultTablesLandInTheSearchPathSchemaAndOursInTheInternalSchema() {
        assertEquals(List.of("source_catalog", "source_check", "source_spec", "source_state", "source_task", "task_log"),
                column("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", SCHEMA),
                "nothing of ours beside the result tables: the console's schema push would drop it");
        List<String> tables = column("SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", INTERNAL);
        for (String t : List.of("syncctl_task", "jobrunr_jobs", "jobrunr_migrations", "flyway_schema_history")) {
            assertTrue(tables.contains(t), t + " missing from " + tables);
        }
        String syncId = Ids.unique("sync");
        String taskId = Ids.unique("task");
        long jobsBefore = count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs");
        given().contentType(ContentType.JSON).body("{\"config\":{},\"catalog\":{},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}")
                .queryParam("package", "a/b").queryParam("version", "1").queryParam("taskId", taskId).queryParam("syncId", syncId)
                .post("/read").then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM " + SCHEMA + ".source_task WHERE task_id = ?", taskId));
        assertEquals(1, count("SELECT count(*) FROM " + INTERNAL + ".syncctl_task WHERE task_id = ?", taskId));
        assertEquals(jobsBefore + 1, count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs"));
    }

    @Test
    void databaseDownMeans503AndNothingStored() {
        String key = Ids.unique("key");
        String syncId = Ids.unique("sync");
        String taskId = Ids.unique("task");
        long jobsBefore = count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs");
        proxy.cut();
        try {
            check(key).then().statusCode(503).contentType(ContentType.JSON).body("ok", equalTo(false))
                    .body("error", containsString("cannot persist"));
            given().contentType(ContentType.JSON).body("{\"config\":{},\"catalog\":{},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}")
                    .queryParam("package", "a/b").queryParam("version", "1").queryParam("taskId", taskId)
                    .queryParam("syncId", syncId).post("/read").then().statusCode(503).body("ok", equalTo(false));
            given().get("/health").then().statusCode(503).body("status", equalTo("fail"));
            given().get("/q/health/ready").then().statusCode(503);
            given().queryParam("taskId", taskId).queryParam("syncId", syncId).get("/cancel").then().statusCode(503);
        } finally {
            proxy.restore();
        }
        assertEquals(0, count("SELECT count(*) FROM " + INTERNAL + ".syncctl_task WHERE storage_key = ? OR task_id = ?", key, taskId));
        assertEquals(0, count("SELECT count(*) FROM " + SCHEMA + ".source_task WHERE task_id = ?", taskId));
        assertEquals(jobsBefore, count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs"));
        // back up: the api recovers by itself
        given().get("/health").then().statusCode(200);
        check(key).then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM " + INTERNAL + ".syncctl_task WHERE storage_key = ?", key));
    }

    @Test
    void databaseDownAnswersEveryTaskOfABatch503() throws Exception {
        // several requests at once share group-commit transactions: each still gets its own 503
        int n = 8;
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(Ids.unique("key"));
        }
        long jobsBefore = count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        proxy.cut();
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
            for (String key : keys) {
                statuses.add(pool.submit(() -> check(key).statusCode()));
            }
            for (java.util.concurrent.Future<Integer> s : statuses) {
                assertEquals(503, s.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            proxy.restore();
            pool.shutdownNow();
        }
        assertEquals(0, count("SELECT count(*) FROM " + INTERNAL + ".syncctl_task WHERE storage_key = ANY (?)", (Object) keys.toArray(new String[0])));
        assertEquals(jobsBefore, count("SELECT count(*) FROM " + INTERNAL + ".jobrunr_jobs"));
    }

    static io.restassured.response.Response check(String key) {
        return given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/check");
    }
}
