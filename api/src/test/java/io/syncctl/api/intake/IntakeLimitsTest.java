package io.syncctl.api.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.syncctl.api.support.Ids;
import io.syncctl.api.support.TestDb;
import io.syncctl.shared.payload.PodSecretSize;
import io.syncctl.shared.payload.TaskPayload;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.syncctl.api.support.TestDb.count;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded memory at intake: bodies waiting for the database are limited in bytes (503 with
 * Retry-After beyond), and a payload too large for the task pod's Secret is 413 with the limit.
 */
@QuarkusTest
@TestProfile(IntakeLimitsTest.Limits.class)
class IntakeLimitsTest {
    static final long INTAKE_MAX = 4096;

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("SYNCCTL_INTAKE_MAX_BYTES", Long.toString(INTAKE_MAX), "SYNCCTL_MAX_REQUEST_BYTES", Integer.toString(4 << 20));
        }
    }

    @Inject
    IntakeBatcher batcher;

    static String checkBody(int configChars) {
        return "{\"config\":{\"pad\":\"" + "x".repeat(configChars) + "\"}}";
    }

    static Response check(String key, String body) {
        return IntakeTest.json(body).queryParam("package", "a/b").queryParam("version", "1").queryParam("storageKey", key).post("/check");
    }

    /** While the database holds the first task, a second that would pass the bound is 503 at once. */
    @Test
    void aFullIntakeAnswers503WithRetryAfter() throws Exception {
        String key = Ids.unique("full");
        CompletableFuture<Response> first;
        try (Connection c = TestDb.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE syncctl_task IN ACCESS EXCLUSIVE MODE"); // the intake's insert waits
            }
            first = CompletableFuture.supplyAsync(() -> check(key, checkBody(2000)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (batcher.waitingBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(batcher.waitingBytes() > 2000, "the first task waits in the intake");
            check(key, checkBody(2000)).then().statusCode(503).header("Retry-After", "1").body("ok", equalTo(false))
                    .body("error", equalTo("the api has 4096 bytes of tasks waiting for the database (SYNCCTL_INTAKE_MAX_BYTES); "
                            + "nothing was stored, try again"));
            c.rollback();
        }
        first.get(30, TimeUnit.SECONDS).then().statusCode(200);
        assertEquals(1, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ?", key));
        assertEquals(0, batcher.waitingBytes(), "committed tasks release their bytes");
        check(key, checkBody(2000)).then().statusCode(200);
    }

    /** Random text does not compress: 1.5 MiB of it cannot fit the 1 MiB Secret. */
    @Test
    void aPayloadThePodCannotReceiveIs413WithTheLimit() {
        byte[] noise = new byte[1100 * 1024];
        new Random(11).nextBytes(noise);
        String config = "{\"key\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}";
        long packed = PodSecretSize.packedBytes(TaskPayload.config(config));
        assertTrue(packed > PodSecretSize.PAYLOAD_LIMIT, "the test payload is over the limit: " + packed);
        String key = Ids.unique("big");
        check(key, "{\"config\":" + config + "}").then().statusCode(413).body("error", equalTo(
                "the task's config, catalog, state and destinationConfig take " + packed + " bytes gzip-compressed; a task pod "
                        + "can receive at most 1040384 (its Kubernetes Secret holds 1 MiB)"));
        String taskId = Ids.unique("t");
        String destination = "{\"destinationType\":\"postgres\",\"host\":\"h\",\"database\":\"d\"," + config.substring(1);
        IntakeTest.json("{\"config\":{},\"catalog\":{\"streams\":[]},\"destinationConfig\":" + destination + "}")
                .queryParam("package", "a/b").queryParam("version", "1").queryParam("taskId", taskId)
                .queryParam("syncId", Ids.unique("s")).post("/read").then().statusCode(413);
        assertEquals(0, count("SELECT count(*) FROM syncctl_task WHERE storage_key = ? OR task_id = ?", key, taskId));
    }

    /** 3 MiB of a repetitive catalog compresses far below the limit: accepted although larger than 1 MiB. */
    @Test
    void aLargeButCompressiblePayloadIsAccepted() {
        String stream = "{\"stream\":{\"name\":\"users\",\"json_schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}}},\"sync_mode\":\"full_refresh\"}";
        StringBuilder catalog = new StringBuilder("{\"streams\":[").append(stream);
        while (catalog.length() < 3 << 20) {
            catalog.append(',').append(stream);
        }
        catalog.append("]}");
        IntakeTest.json("{\"config\":{},\"catalog\":" + catalog + ",\"destinationConfig\":" + IntakeTest.DEST + "}").queryParam("package", "a/b").queryParam("version", "1")
                .queryParam("taskId", Ids.unique("t")).queryParam("syncId", Ids.unique("s")).post("/read").then().statusCode(200);
    }
}
