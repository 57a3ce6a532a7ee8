package io.syncctl.api.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(AuthTest.WithTokens.class)
class AuthTest {
    static final String SECRET = "server-side-secret";
    static final String HASHED_TOKEN = "hashed-token-2";
    static final String SALTED_ENTRY = BearerTokens.hexEntry(HASHED_TOKEN, "s4lt", SECRET);

    public static class WithTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("SYNCCTL_AUTH_TOKENS", "plain-token-1, " + SALTED_ENTRY, "SYNCCTL_TOKEN_SECRET", SECRET);
        }
    }

    @Test
    void noTokenIs401() {
        spec(null).then().statusCode(401).body("ok", equalTo(false)).body("error", containsString("Bearer"));
        given().queryParam("taskId", "t").queryParam("syncId", "s").get("/cancel").then().statusCode(401);
        given().body("{\"config\":{}}").post("/check").then().statusCode(401);
    }

    @Test
    void plainTokenIsAccepted() {
        spec("Bearer plain-token-1").then().statusCode(200);
        spec("bearer plain-token-1").then().statusCode(200);
    }

    @Test
    void hashedTokenIsAccepted() {
        spec("Bearer " + HASHED_TOKEN).then().statusCode(200);
    }

    @Test
    void wrongTokensAre401() {
        spec("Bearer plain-token-2").then().statusCode(401).body("error", equalTo("invalid token"));
        spec("Bearer plain-token-1x").then().statusCode(401);
        spec("Bearer " + SALTED_ENTRY).then().statusCode(401); // the configured entry itself is not a token
        spec("Basic cGxhaW4tdG9rZW4tMTo=").then().statusCode(401).body("error", containsString("Bearer"));
        spec("Bearer ").then().statusCode(401);
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().get("/health").then().statusCode(200).body("status", equalTo("pass"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    static io.restassured.response.Response spec(String authorization) {
        var req = given().queryParam("package", "a/" + Ids.unique("b")).queryParam("version", "1");
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        return req.get("/spec");
    }
}
