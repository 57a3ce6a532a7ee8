package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncctl.api.support.Ids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static io.syncctl.api.support.TestDb.column;
import static io.syncctl.api.support.TestDb.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A credential sent in config or destinationConfig appears nowhere in plain text: not in JobRunr's
 * tables, not in ours, not in the result tables, not in answers, not in any log line (captured at
 * DEBUG for our code and JobRunr).
 */
@QuarkusTest
class SecretsTest {
    static final String CONFIG_SECRET = "Cfg-S3cret-" + Ids.unique("x");
    static final String DEST_SECRET = "Dst-S3cret-" + Ids.unique("y");

    final List<String> logLines = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String msg = r.getMessage();
            Object[] params = r.getParameters();
            logLines.add(r.getLoggerName() + " " + msg + " " + (params == null ? "" : List.of(params))
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("org.jobrunr").setLevel(Level.FINE);
        Logger.getLogger("io.syncctl").setLevel(Level.FINE);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("org.jobrunr").setLevel(null);
        Logger.getLogger("io.syncctl").setLevel(null);
    }

    @Test
    void credentialsAreStoredOnlyEncrypted() {
        String config = "{\"host\":\"h\",\"password\":\"" + CONFIG_SECRET + "\"}";
        String dest = "{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\",\"password\":\"" + DEST_SECRET + "\"}";
        String key = Ids.unique("key");
        String taskId = Ids.unique("task");
        String syncId = Ids.unique("sync");
        List<String> answers = new java.util.ArrayList<>();
        answers.add(given().contentType(ContentType.JSON).body("{\"config\":" + config + "}").queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/check").then().statusCode(200).extract().asString());
        answers.add(given().contentType(ContentType.JSON).body("{\"config\":" + config + "}").queryParam("package", "a/b")
                .queryParam("version", "1").queryParam("storageKey", key).post("/discover").then().statusCode(200).extract().asString());
        String readBody = "{\"config\":" + config + ",\"catalog\":{\"streams\":[]},\"destinationConfig\":" + dest + "}";
        for (int i = 0; i < 2; i++) { // the second one is the "already exists" path
            answers.add(given().contentType(ContentType.JSON).body(readBody).queryParam("package", "a/b").queryParam("version", "1")
                    .queryParam("taskId", taskId).queryParam("syncId", syncId).post("/read").then().statusCode(200).extract().asString());
        }
        answers.add(given().contentType(ContentType.JSON).body(readBody).queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("taskId", Ids.unique("task")).queryParam("syncId", syncId).post("/read").then().statusCode(409).extract().asString());
        answers.add(given().contentType(ContentType.JSON).body("{\"config\":{\"password\":\"" + CONFIG_SECRET + "\" x}}")
                .queryParam("package", "a/b").queryParam("version", "1").queryParam("storageKey", key)
                .post("/check").then().statusCode(400).extract().asString());
        answers.add(given().queryParam("taskId", taskId).queryParam("syncId", syncId).get("/cancel").then().statusCode(200).extract().asString());

        assertEquals(1, count("SELECT count(*) FROM syncctl_task WHERE task_id = ?", taskId), "the task was stored");
        for (String secret : List.of(CONFIG_SECRET, DEST_SECRET)) {
            for (String table : tables()) {
                assertEquals(0, count("SELECT count(*) FROM " + table + " t WHERE t::text LIKE ?", "%" + secret + "%"),
                        secret + " found in " + table);
            }
            assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE position(convert_to(?, 'UTF8') in payload) > 0", secret));
            answers.forEach(a -> assertFalse(a.contains(secret), a));
            logLines.forEach(l -> assertFalse(l.contains(secret), l));
        }
        assertTrue(logLines.stream().anyMatch(l -> l.contains("org.jobrunr")), "JobRunr's debug log was captured: " + logLines.size());
    }

    static List<String> tables() {
        // the api's schemas: result tables and our own (internal) tables
        return column("""
                SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
                WHERE table_schema IN (?, ?) AND table_type = 'BASE TABLE'
                  AND (table_name LIKE 'jobrunr\\_%' OR table_name LIKE 'source\\_%' OR table_name IN ('task_log', 'syncctl_task'))""",
                io.syncctl.shared.testing.TestSchemas.results(), io.syncctl.shared.testing.TestSchemas.internal());
    }
}
