package io.syncctl.api.health;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ObservabilityTest {

    @Test
    void healthPassesWithTheDatabaseUp() {
        given().get("/health").then().statusCode(200).contentType(ContentType.JSON).body("status", equalTo("pass"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsCountAcceptedAndRejected() {
        given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("storageKey", Ids.unique("k")).post("/check").then().statusCode(200);
        given().queryParam("package", "a/b").get("/spec").then().statusCode(400);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("syncctl_tasks_accepted_total{type=\"check\"}"))
                .body(containsString("syncctl_requests_rejected_total{reason=\"bad_request\"}"));
    }

    @Test
    void openApiDocumentsTheEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/read")).body(containsString("/cancel")).body(containsString("/check"));
    }
}
