package io.syncctl.api.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The api configured as Jitsu's docker-compose configures the sync controller: the console's token in
 * {@code SYNCCTL_RAW_AUTH_TOKENS}, plus the worker's settings in the same environment (a dashboard
 * port without its password, the sidecar's database URL with an empty host when
 * {@code EXTERNAL_POSTGRES_HOST} is unset, an empty Kubernetes context, a malformed timeout): none
 * of those stop the api, which reads only its own.
 */
@QuarkusTest
@TestProfile(RawAuthTokensTest.AsJitsuCompose.class)
class RawAuthTokensTest {

    public static class AsJitsuCompose implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "SYNCCTL_RAW_AUTH_TOKENS", "default",
                    "SYNCCTL_SYNCS_ENABLED", "false",
                    "SYNCCTL_SIDECAR_DATABASE_URL", "postgresql://postgres:default@:5432/postgres?search_path=newjitsu",
                    "SYNCCTL_KUBERNETES_CLIENT_CONFIG", "local",
                    "SYNCCTL_KUBERNETES_CONTEXT", "",
                    "SYNCCTL_SIDECAR_IMAGE", "jitsucom/sidecar:latest",
                    "SYNCCTL_DASHBOARD_PORT", "8000",
                    "SYNCCTL_TASK_TIMEOUT_HOURS", "soon");
        }
    }

    @Test
    void theConsolesBearerTokenIsAccepted() {
        check("Bearer default").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void missingOrWrongTokenIs401WithAJsonBody() {
        check(null).then().statusCode(401).contentType(ContentType.JSON).body("ok", equalTo(false))
                .body("error", containsString("Bearer"));
        check("Bearer defaults").then().statusCode(401).contentType(ContentType.JSON).body("ok", equalTo(false))
                .body("error", equalTo("invalid token"));
        given().queryParam("taskId", "t").queryParam("syncId", "s").get("/cancel").then().statusCode(401)
                .body("ok", equalTo(false));
    }

    @Test
    void healthAndMetricsStayOpen() {
        given().get("/health").then().statusCode(200).body("status", equalTo("pass"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    static io.restassured.response.Response check(String authorization) {
        var req = given().contentType(ContentType.JSON).body("{\"config\":{}}").queryParam("package", "airbyte/source-faker")
                .queryParam("version", "6.2.6").queryParam("storageKey", Ids.unique("ws") + "_svc_0123456789abcdef0123456789abcdef_q1");
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return req.post("/check");
    }
}
