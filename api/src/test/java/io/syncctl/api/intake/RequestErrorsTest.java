package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.count;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every 400/404/405/413 path: JSON {"ok":false,"error":...} naming the problem, never a stack trace. */
@QuarkusTest
class RequestErrorsTest {
    static final String OK_BODY = "{\"config\":{}}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing package      |           | 1.0 | k1 | 'package'",
            "uppercase package    | Airbyte/x | 1.0 | k1 | 'package'",
            "package with tag     | a/b:1.0   | 1.0 | k1 | 'package'",
            "package with space   | 'a b'     | 1.0 | k1 | 'package'",
            "package shell        | 'a;rm'    | 1.0 | k1 | 'package'",
            "package trailing /   | a/b/      | 1.0 | k1 | 'package'",
            "missing version      | a/b       |     | k1 | 'version'",
            "version with colon   | a/b       | 1:0 | k1 | 'version'",
            "version leading dot  | a/b       | .1  | k1 | 'version'",
            "missing storageKey   | a/b       | 1.0 |    | 'storageKey'",
            "storageKey newline   | a/b       | 1.0 | 'a\nb' | 'storageKey'",
            "storageKey tab       | a/b       | 1.0 | 'a\tb' | 'storageKey'",
            "storageKey DEL       | a/b       | 1.0 | 'a\u007fb' | 'storageKey'",
    })
    void checkParameters(String what, String pkg, String version, String key, String named) {
        var req = given().contentType(ContentType.JSON).body(OK_BODY);
        if (pkg != null) req.queryParam("package", pkg);
        if (version != null) req.queryParam("version", version);
        if (key != null) req.queryParam("storageKey", key);
        req.post("/check").then().statusCode(400).contentType(ContentType.JSON)
                .body("ok", equalTo(false)).body("error", containsString(named));
    }

    @Test
    void idsUpTo1024CharactersAreAcceptedAndLongerOnesRefused() {
        String unique = Ids.unique("k");
        check(unique + "k".repeat(1024 - unique.length()), OK_BODY).then().statusCode(200);
        check(unique + "k".repeat(1025 - unique.length()), OK_BODY).then().statusCode(400)
                .body("error", equalTo("query parameter 'storageKey' must be 1 to 1024 characters (at most 1024 bytes as UTF-8) "
                        + "without control characters"));
        // 1,024 characters, but 2,048 bytes: more than PostgreSQL's indexes hold for two such ids
        check("é".repeat(1024), OK_BODY).then().statusCode(400).body("error", containsString("'storageKey'"));
        check(Ids.unique("é") + "é".repeat(400), OK_BODY).then().statusCode(200);
    }

    @Test
    void validPackagesAreAccepted() {
        for (String pkg : new String[]{"source-x", "airbyte/source-postgres", "localhost:5000/a/b", "ghcr.io/org/sub/source_x",
                "my-registry.io/a__b/c.d/e---f"}) {
            given().contentType(ContentType.JSON).body(OK_BODY).queryParam("package", pkg).queryParam("version", "latest")
                    .queryParam("storageKey", Ids.unique("k")).post("/check").then().statusCode(200);
        }
    }

    @Test
    void specNeedsPackageVersionAndAirbyte() {
        given().queryParam("version", "1").get("/spec").then().statusCode(400).body("error", containsString("'package'"));
        given().queryParam("package", "a/b").get("/spec").then().statusCode(400).body("error", containsString("'version'"));
        given().queryParam("package", "a/b").queryParam("version", "1").queryParam("connectorType", "singer")
                .get("/spec").then().statusCode(400).body("error", containsString("'connectorType'"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing taskId   | taskId      |             | 'taskId'",
            "taskId newline   | taskId      | 'a\nb'     | 'taskId'",
            "missing syncId   | syncId      |             | 'syncId'",
            "bad flag         | fullSync    | yes         | 'fullSync'",
            "bad flag 2       | debug       | 1           | 'debug'",
            "prefix newline   | tableNamePrefix | 'a\nb' | 'tableNamePrefix'",
            "namespace CR     | namespace   | 'a\rb'     | 'namespace'",
            "startedBy SOH    | startedBy   | 'a\u0001b' | 'startedBy'",
    })
    void readParameters(String what, String param, String value, String named) {
        var params = new java.util.HashMap<String, Object>(java.util.Map.of("package", "a/b", "version", "1",
                "taskId", Ids.unique("t"), "syncId", Ids.unique("s")));
        params.put(param, value == null ? "" : value);
        given().contentType(ContentType.JSON).body(IntakeTest.readBody()).queryParams(params).post("/read").then().statusCode(400).body("ok", equalTo(false)).body("error", containsString(named));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed json       | '{\"config\":{'                         | not valid JSON",
            "trailing garbage     | '{\"config\":{}} x'                     | not valid JSON",
            "trailing object      | '{\"config\":{}} {}'                    | after the JSON object",
            "array body           | '[1]'                                   | must be a JSON object",
            "empty body           | ''                                      | empty",
            "missing config       | '{\"other\":{}}'                        | 'config'",
            "config is array      | '{\"config\":[1]}'                      | 'config'",
            "config is string     | '{\"config\":\"{}\"}'                   | 'config'",
            "config is null       | '{\"config\":null}'                     | 'config'",
            "duplicate config     | '{\"config\":{},\"config\":{}}'         | twice",
    })
    void checkBodies(String what, String body, String message) {
        check(Ids.unique("k"), body).then().statusCode(400).contentType(ContentType.JSON)
                .body("ok", equalTo(false)).body("error", containsString(message)).body("error", not(containsString("Exception")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "catalog missing      | '{\"config\":{},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}'                               | 'catalog'",
            "catalog is array     | '{\"config\":{},\"catalog\":[],\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}'                | 'catalog'",
            "state is string      | '{\"config\":{},\"catalog\":{},\"state\":\"x\",\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"}}' | 'state'",
            "destination missing  | '{\"config\":{},\"catalog\":{}}'                                         | 'destinationConfig'",
            "destination is number| '{\"config\":{},\"catalog\":{},\"destinationConfig\":1}'                 | 'destinationConfig'",
            "no destinationType   | '{\"config\":{},\"catalog\":{},\"destinationConfig\":{}}'                | 'destinationConfig.destinationType is required; supported: postgres'",
            "unsupported type     | '{\"config\":{},\"catalog\":{},\"destinationConfig\":{\"destinationType\":\"gcs\",\"bucket\":\"b\"}}' | 'destinationType ''gcs'' is not supported; supported: postgres'",
            "field missing        | '{\"config\":{},\"catalog\":{},\"destinationConfig\":{\"destinationType\":\"postgres\",\"host\":\"h\",\"password\":\"pw-77\"}}' | 'destinationConfig.database is required for destinationType postgres'",
    })
    void readBodies(String what, String body, String named) {
        String taskId = Ids.unique("t");
        given().contentType(ContentType.JSON).body(body).queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("taskId", taskId).queryParam("syncId", Ids.unique("s")).post("/read")
                .then().statusCode(400).body("error", containsString(named)).body("error", not(containsString("pw-77")));
        assertEquals(0, count("SELECT count(*) FROM source_task WHERE task_id = ?", taskId));
    }

    @Test
    void parseErrorsDoNotEchoTheBody() {
        check(Ids.unique("k"), "{\"config\":{\"password\":\"hunter2\" oops}}").then().statusCode(400)
                .body("error", containsString("line 1, column")).body("error", not(containsString("hunter2")))
                .body("error", not(containsString("oops")));
    }

    @Test
    void oversizedBodyWithContentLengthIs413Json() throws IOException {
        String big = "{\"config\":{\"x\":\"" + "a".repeat(1024 * 1024) + "\"}}";
        check(Ids.unique("k"), big).then().statusCode(413).contentType(ContentType.JSON)
                .body("ok", equalTo(false)).body("error", containsString("too large"));
    }

    @Test
    void oversizedChunkedBodyIs413Json() throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/check?package=a/b&version=1&storageKey=" + Ids.unique("k")).toURL().openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setChunkedStreamingMode(8192);
        http.setRequestProperty("Content-Type", "application/json");
        byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = http.getOutputStream()) {
            out.write("{\"config\":{\"x\":\"".getBytes(StandardCharsets.US_ASCII));
            // 1.5 MiB against the 1 MiB limit of the tests: Quarkus buffers up to limit + 1 MiB, we answer
            for (int i = 0; i < 3 * 512 * 1024 / chunk.length; i++) {
                out.write(chunk);
            }
            out.write("\"}}".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the server may stop reading and close once the limit is passed; the status still tells
        }
        assertEquals(413, http.getResponseCode());
        try (InputStream err = http.getErrorStream()) {
            String body = err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("\"ok\":false") && body.contains("too large"), body);
        }
    }

    @Test
    void chunkedBodiesFarAboveTheLimitAreCutOff() throws IOException {
        HttpURLConnection http = chunkedCheck();
        byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = http.getOutputStream()) {
            out.write("{\"config\":{\"x\":\"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 8 * 1024 * 1024 / chunk.length; i++) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // expected: the server stops reading and closes the connection
        }
        assertEquals(413, http.getResponseCode());
    }

    @Test
    void chunkedBodiesWithinTheLimitAreAccepted() throws IOException {
        HttpURLConnection http = chunkedCheck();
        try (OutputStream out = http.getOutputStream()) {
            out.write(("{\"config\":{\"x\":\"" + "a".repeat(200_000) + "\"}}").getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(200, http.getResponseCode());
    }

    static HttpURLConnection chunkedCheck() throws IOException {
        HttpURLConnection http = (HttpURLConnection) URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                + "/check?package=a/b&version=1&storageKey=" + Ids.unique("k")).toURL().openConnection();
        http.setRequestMethod("POST");
        http.setDoOutput(true);
        http.setChunkedStreamingMode(8192);
        http.setRequestProperty("Content-Type", "application/json");
        return http;
    }

    @Test
    void unknownEndpointAndWrongMethodAreJson() {
        given().get("/nope").then().statusCode(404).contentType(ContentType.JSON).body("ok", equalTo(false));
        given().get("/check").then().statusCode(405).contentType(ContentType.JSON).body("ok", equalTo(false));
    }

    static io.restassured.response.Response check(String key, String body) {
        return given().contentType(ContentType.JSON).body(body).queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("storageKey", key).post("/check");
    }
}
