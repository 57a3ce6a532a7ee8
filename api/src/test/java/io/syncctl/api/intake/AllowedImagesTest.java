package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.count;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SYNCCTL_ALLOWED_IMAGES: only packages matching a pattern become tasks, on every endpoint. */
@QuarkusTest
@TestProfile(AllowedImagesTest.Restricted.class)
class AllowedImagesTest {
    public static class Restricted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("SYNCCTL_ALLOWED_IMAGES", "airbyte/*, registry.example.com/team/**");
        }
    }

    static final String REFUSED = "package 'evil/miner' is not allowed: it matches none of SYNCCTL_ALLOWED_IMAGES "
            + "(airbyte/*,registry.example.com/team/**)";

    @Test
    void matchingPackagesAreAccepted() {
        String key = Ids.unique("img");
        for (String pkg : new String[] {"airbyte/source-postgres", "registry.example.com/team/sub/source-x"}) {
            IntakeTest.json("{\"config\":{}}").queryParam("package", pkg).queryParam("version", "1")
                    .queryParam("storageKey", key).post("/check").then().statusCode(200);
        }
        given().queryParam("package", "airbyte/source-faker").queryParam("version", "1").get("/spec").then().statusCode(200);
        assertEquals(2, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ?", key));
    }

    @Test
    void otherPackagesAre400NamingTheImageAndTheSetting() {
        String key = Ids.unique("img");
        given().queryParam("package", "evil/miner").queryParam("version", "1").get("/spec")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo(REFUSED));
        IntakeTest.json("{\"config\":{}}").queryParam("package", "evil/miner").queryParam("version", "1")
                .queryParam("storageKey", key).post("/check").then().statusCode(400).body("error", equalTo(REFUSED));
        IntakeTest.json("{\"config\":{}}").queryParam("package", "evil/miner").queryParam("version", "1")
                .queryParam("storageKey", key).post("/discover").then().statusCode(400).body("error", equalTo(REFUSED));
        String taskId = Ids.unique("t");
        IntakeTest.json(IntakeTest.readBody()).queryParam("package", "evil/miner").queryParam("version", "1")
                .queryParam("taskId", taskId).queryParam("syncId", Ids.unique("s")).post("/read").then().statusCode(400)
                .body("error", equalTo(REFUSED));
        // `*` stays within one path segment: airbyte/* does not admit a deeper repository
        IntakeTest.json("{\"config\":{}}").queryParam("package", "airbyte/x/source-y").queryParam("version", "1")
                .queryParam("storageKey", key).post("/check").then().statusCode(400);
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ? OR task_id = ?", key, taskId));
    }
}
