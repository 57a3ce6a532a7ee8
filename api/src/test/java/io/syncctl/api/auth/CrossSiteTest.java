package io.syncctl.api.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Auth is off in the default test profile: a POST a browser could send from another site without a
 * CORS preflight (text/plain, form, multipart, no Content-Type, no Authorization) is refused with 415
 * and stores nothing; JSON (what the console sends) and bearer requests pass, GET /spec stays a GET.
 */
@QuarkusTest
class CrossSiteTest {
    static final String BODY = "{\"config\":{\"host\":\"db\"}}";

    @TestHTTPResource("/")
    URI base;

    /** Raw requests: exactly the headers given, as a browser's form or no-cors fetch would send them. */
    HttpResponse<String> post(String pathAndQuery, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void browserSimpleRequestsAreRefusedAndStoreNothing() throws Exception {
        String key = Ids.unique("xsite");
        String check = "check?package=a/b&version=1&storageKey=" + key;
        for (String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", null}) {
            HttpResponse<String> r = post(check, type);
            assertEquals(415, r.statusCode(), type + ": " + r.body());
            assertEquals("{\"ok\":false,\"error\":\"" + CrossSiteGuard.MESSAGE + "\"}", r.body());
        }
        assertEquals(415, post("discover?package=a/b&version=1&storageKey=" + key, "text/plain").statusCode());
        assertEquals(415, post("read?package=a/b&version=1&taskId=" + Ids.unique("t") + "&syncId=" + Ids.unique("s"), null).statusCode());
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ?", key));
    }

    @Test
    void jsonAndBearerRequestsPass() {
        String key = Ids.unique("xsite");
        given().contentType(ContentType.JSON).body(BODY).queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("storageKey", key).post("/check").then().statusCode(200);
        given().contentType("application/json; charset=utf-8").body(BODY).queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("storageKey", key).post("/discover").then().statusCode(200);
        given().contentType("text/plain").header("Authorization", "Bearer anything").body(BODY).queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/check").then().statusCode(200);
        given().queryParam("package", "a/b").queryParam("version", "1").get("/spec").then().statusCode(200);
        assertEquals(3, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ?", key));
    }

    @Test
    void mediaTypeRule() {
        org.junit.jupiter.api.Assertions.assertTrue(CrossSiteGuard.allowed("Application/JSON", null));
        org.junit.jupiter.api.Assertions.assertTrue(CrossSiteGuard.allowed("application/vnd.api+json", null));
        org.junit.jupiter.api.Assertions.assertTrue(CrossSiteGuard.allowed(null, "bearer x"));
        org.junit.jupiter.api.Assertions.assertFalse(CrossSiteGuard.allowed("text/json", null));
        org.junit.jupiter.api.Assertions.assertFalse(CrossSiteGuard.allowed("text/plain; a=application/json", null));
        org.junit.jupiter.api.Assertions.assertFalse(CrossSiteGuard.allowed(null, "Basic eDp5"));
    }
}
