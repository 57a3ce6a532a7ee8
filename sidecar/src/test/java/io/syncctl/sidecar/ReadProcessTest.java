package io.syncctl.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.syncctl.sidecar.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** read into the postgres destination (CONTRACT section 4), checked row by row. */
class ReadProcessTest extends WithTestDatabase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USERS = "{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":[\"null\",\"string\"]},"
            + "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}";

    private SidecarProcess read(String syncId, String taskId, String catalog, String state) throws Exception {
        SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", syncId).env("TASK_ID", taskId)
                .env("TABLE_NAME_PREFIX", "src_").env("STARTED_BY", "{\"user\":\"test\"}")
                .config("config.json", "{\"host\":\"example\"}")
                .config("catalog.json", catalog)
                .config("destinationConfig.json", db.postgresDestination());
        if (state != null) {
            p.config("state.json", state);
        }
        return p;
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private Map<String, String> task(String taskId) throws Exception {
        return db.row("SELECT sync_id, status, description, error FROM source_task WHERE task_id = '" + taskId + "'");
    }

    private JsonNode stats(String taskId) throws Exception {
        return JSON.readTree(task(taskId).get("description"));
    }

    private String table(String name) {
        return db.destSchema + ".\"" + name + "\"";
    }

    @Test
    void fullRefreshReplacesTheTableWithTypedColumns() throws Exception {
        String sync = "full-" + id();
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_users") + " (id bigint, name text);"
                + "INSERT INTO " + table("src_users") + " VALUES (1, 'old'), (99, 'gone')");
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("users", USERS, false)), null).start()) {
            p.out(Msg.streamStatus("users", "STARTED"),
                    Msg.record("users", "{\"id\":1,\"name\":\"Ann\",\"updated_at\":\"2024-01-01T10:00:00Z\"}"),
                    "garbage line from a print() call",
                    Msg.record("users", "{\"id\":2,\"name\":\"Tab\\tNew\\nLine \\\\ é\",\"updated_at\":\"2024-01-02T10:00:00Z\",\"extra\":{\"x\":[1,2]}}"),
                    Msg.record("users", "{\"id\":3,\"name\":null,\"updated_at\":\"2024-01-03\",\"score\":1.5,\"ok\":true}"),
                    Msg.record("users", "{\"id\":4,\"name\":\"\",\"updated_at\":\"\"}"),
                    Msg.streamStatus("users", "COMPLETE"));
            p.err("WARN a warning on stderr");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of(
                        Map.of("id", "1", "name", "Ann", "updated_at", "2024-01-01 10:00:00", "extra", "-", "score", "-", "ok", "-"),
                        Map.of("id", "2", "name", "Tab\tNew\nLine \\ é", "updated_at", "2024-01-02 10:00:00", "extra", "{\"x\": [1, 2]}", "score", "-", "ok", "-"),
                        Map.of("id", "3", "name", "-", "updated_at", "2024-01-03 00:00:00", "extra", "-", "score", "1.5", "ok", "true"),
                        Map.of("id", "4", "name", "", "updated_at", "-", "extra", "-", "score", "-", "ok", "-")),
                db.rows("SELECT id, coalesce(name, '-') AS name, coalesce(to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '-') AS updated_at, coalesce(extra::text, '-') AS extra,"
                        + " coalesce(score::text, '-') AS score, coalesce(ok::text, '-') AS ok FROM " + table("src_users") + " ORDER BY id"));
        assertEquals(Map.of("id", "bigint", "name", "text", "updated_at", "timestamp with time zone", "extra", "jsonb",
                "score", "double precision", "ok", "boolean"), db.columnTypes("src_users"));
        Map<String, String> t = task(sync + "-t1");
        assertEquals("SUCCESS", t.get("status"));
        assertNull(t.get("error"));
        JsonNode users = stats(sync + "-t1").get("users");
        assertEquals(4, users.get("events").asInt());
        assertEquals("SUCCESS", users.get("status").asText());
        assertTrue(users.get("bytes").asLong() > 100);
        // stdout and stderr are read concurrently: their lines interleave in any order
        assertEquals(List.of("INFO:garbage line from a print() call", "WARN:WARN a warning on stderr"),
                db.column("SELECT level || ':' || message FROM task_log WHERE task_id = '" + sync + "-t1' AND logger = 'syncctl/source-test'")
                        .stream().sorted().toList());
    }

    @Test
    void secondIncrementalRunAppendsOnlyNewRowsAndMergesOnPrimaryKey() throws Exception {
        String sync = "inc-" + id();
        String catalog = Msg.catalog(Msg.stream("orders", USERS, true, "id"));
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, null).start()) {
            p.out(Msg.record("orders", "{\"id\":1,\"name\":\"a\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"),
                    Msg.record("orders", "{\"id\":2,\"name\":\"b\",\"updated_at\":\"2024-01-02T00:00:00Z\"}"),
                    Msg.streamState("orders", "{\"cursor\":\"2024-01-02\"}"),
                    Msg.record("orders", "{\"id\":2,\"name\":\"b2\",\"updated_at\":\"2024-01-02T12:00:00Z\"}"),
                    Msg.streamState("orders", "{\"cursor\":\"2024-01-02T12\"}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1:a", "2:b2"), db.column("SELECT id || ':' || name FROM " + table("src_orders") + " ORDER BY id"));
        String stored = db.row("SELECT state::text AS s FROM source_state WHERE sync_id = '" + sync + "' AND stream = 'orders'").get("s");
        assertEquals("2024-01-02T12", JSON.readTree(stored).path("cursor").asText(), "the inner stream_state, as Go stores it");

        // the state the console rebuilds from that row (sync.ts)
        try (SidecarProcess p = read(sync, sync + "-t2", catalog, "[" + Msg.stateObject("orders", stored) + "]").start()) {
            p.out(Msg.record("orders", "{\"id\":2,\"name\":\"b3\",\"updated_at\":\"2024-01-03T00:00:00Z\"}"),
                    Msg.record("orders", "{\"id\":3,\"name\":\"c\",\"updated_at\":\"2024-01-03T00:00:00Z\"}"),
                    Msg.record("orders", "{\"id\":3,\"name\":\"c2\",\"updated_at\":\"2024-01-03T01:00:00Z\"}"),
                    Msg.streamState("orders", "{\"cursor\":\"2024-01-03\"}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1:a", "2:b3", "3:c2"), db.column("SELECT id || ':' || name FROM " + table("src_orders") + " ORDER BY id"));
        assertEquals("SUCCESS", task(sync + "-t2").get("status"));
        assertEquals("2024-01-03", JSON.readTree(db.row("SELECT state::text AS s FROM source_state WHERE sync_id = '" + sync + "'").get("s"))
                .path("cursor").asText());
    }

    @Test
    void aFailureInOneStreamGivesPartialWithThatStreamsErrorAndLeavesItsTableUntouched() throws Exception {
        String sync = "partial-" + id();
        String catalog = Msg.catalog(Msg.stream("good", USERS, true, "id"), Msg.stream("bad", USERS, true, "id"),
                Msg.stream("never", USERS, false));
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, null).start()) {
            p.out(Msg.record("good", "{\"id\":1}"), Msg.streamState("good", "{\"c\":1}"),
                    Msg.record("bad", "{\"id\":10}"), Msg.streamState("bad", "{\"c\":10}"),
                    Msg.record("bad", "{\"id\":11}"),
                    Msg.traceError("bad", "API rate limit exceeded"),
                    Msg.record("bad", "{\"id\":12}"), Msg.streamState("bad", "{\"c\":12}"),
                    Msg.record("good", "{\"id\":2}"), Msg.streamState("good", "{\"c\":2}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        Map<String, String> t = task(sync + "-t1");
        assertEquals("PARTIAL", t.get("status"));
        assertEquals("API rate limit exceeded", t.get("error"));
        JsonNode s = stats(sync + "-t1");
        assertEquals("SUCCESS", s.path("good").path("status").asText());
        assertEquals(2, s.path("good").path("events").asInt());
        assertEquals("FAILED", s.path("bad").path("status").asText(), "replacing: nothing of it reached the table");
        assertEquals("API rate limit exceeded", s.path("bad").path("error").asText());
        assertEquals(3, s.path("bad").path("events").asInt());
        assertEquals("FAILED", s.path("never").path("status").asText());
        assertEquals(List.of("1", "2"), db.column("SELECT id FROM " + table("src_good") + " ORDER BY id"));
        assertTrue(db.column("SELECT to_regclass('" + db.destSchema + ".src_bad')::text").contains(null), "never swapped in");
        assertEquals(List.of("good:2"), db.column("SELECT stream || ':' || (state->>'c') FROM source_state"
                + " WHERE sync_id = '" + sync + "' ORDER BY stream"));
    }

    @Test
    void anErrorLogMarksTheCurrentStreamFailedAndAllFailedIsFailed() throws Exception {
        String sync = "errlog-" + id();
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("only", USERS, false)), null).start()) {
            p.out(Msg.record("only", "{\"id\":1}"), Msg.log("ERROR", "connection reset by peer"), Msg.record("only", "{\"id\":2}"));
            p.closePipes();
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        Map<String, String> t = task(sync + "-t1");
        assertEquals("FAILED", t.get("status"));
        assertEquals("connection reset by peer", t.get("error"));
        assertEquals(2, stats(sync + "-t1").path("only").path("events").asInt());
        assertTrue(db.column("SELECT to_regclass('" + db.destSchema + ".src_only')::text").contains(null), "nothing was committed");
    }

    @Test
    void aCrashAfterACheckpointKeepsTheCheckpointAndNothingAfter() throws Exception {
        String sync = "crash-" + id();
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_events") + " (id bigint);"
                + "INSERT INTO " + table("src_events") + " VALUES (42)");
        // incoming state: the stream appends, so its checkpoints are in the table as they come
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("events", USERS, true, "id")),
                "[" + Msg.stateObject("events", "{\"c\":0}") + "]").start()) {
            p.out(Msg.record("events", "{\"id\":1}"), Msg.record("events", "{\"id\":2}"), Msg.streamState("events", "{\"c\":2}"),
                    Msg.record("events", "{\"id\":3}"));
            p.rawOut("{\"type\":\"RECORD\",\"record\":{\"stream\":\"events\",\"data\":{\"id\":");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1", "2", "42"), db.column("SELECT id FROM " + table("src_events") + " ORDER BY id"));
        assertEquals("2", db.row("SELECT state->>'c' AS c FROM source_state WHERE sync_id = '" + sync + "'").get("c"));
        Map<String, String> t = task(sync + "-t1");
        assertEquals("PARTIAL", t.get("status"));
        assertEquals("connector output ended in the middle of a message", t.get("error"));
        assertEquals("PARTIAL", stats(sync + "-t1").path("events").path("status").asText());
    }

    @Test
    void aSidecarKilledInTheMiddleOfACopyLeavesTheCheckpointedRowsAndStateAndClaimsNothingMore() throws Exception {
        String sync = "killed-" + id();
        String taskId = sync + "-t1";
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_killed") + " (id bigint);"
                + "INSERT INTO " + table("src_killed") + " VALUES (42)");
        // incoming state: the stream appends, each checkpoint commits its COPY and then stores its state
        try (SidecarProcess p = read(sync, taskId, Msg.catalog(Msg.stream("killed", USERS, true, "id")),
                "[" + Msg.stateObject("killed", "{\"c\":0}") + "]").env("HEARTBEAT_INTERVAL", "1s").start()) {
            p.out(Msg.record("killed", "{\"id\":1}"), Msg.record("killed", "{\"id\":2}"), Msg.streamState("killed", "{\"c\":2}"));
            waitFor(() -> db.column("SELECT state->>'c' FROM source_state WHERE sync_id = '" + sync + "'").equals(List.of("2")));
            String[] more = new String[500];
            for (int i = 0; i < more.length; i++) {
                more[i] = Msg.record("killed", "{\"id\":" + (100 + i) + "}");
            }
            p.out(more); // a new COPY is open with these rows when the sidecar dies
            waitFor(() -> {
                String description = task(taskId).get("description");
                return description != null && description.startsWith("{")
                        && JSON.readTree(description).path("killed").path("events").asLong() >= 502;
            });
            p.sigkill();
        }
        assertEquals(List.of("1", "2", "42"), db.column("SELECT id FROM " + table("src_killed") + " ORDER BY id"),
                "only the rows of the last stored state");
        assertEquals("2", db.row("SELECT state->>'c' AS c FROM source_state WHERE sync_id = '" + sync + "'").get("c"));
        // nothing claims the read ended: the worker ends it from the pod's exit (sidecar_crash, FinaliseTest)
        assertEquals("RUNNING", task(taskId).get("status"));
    }

    @Test
    void aResultDatabaseCutMidReadClaimsNoStatePastTheLastStoredOneAndNoEnd() throws Exception {
        String sync = "cutdb-" + id();
        String taskId = sync + "-t1";
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_cutdb") + " (id bigint);"
                + "INSERT INTO " + table("src_cutdb") + " VALUES (42)");
        int exit;
        String output;
        // the result tables through a proxy the test cuts; the destination (same server) stays reachable
        try (io.syncctl.shared.testing.TcpProxy proxy = new io.syncctl.shared.testing.TcpProxy(5432);
             SidecarProcess p = read(sync, taskId, Msg.catalog(Msg.stream("cutdb", USERS, true, "id")),
                     "[" + Msg.stateObject("cutdb", "{\"c\":0}") + "]")
                     .env("DATABASE_URL", db.databaseUrl().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port())).start()) {
            p.out(Msg.record("cutdb", "{\"id\":1}"), Msg.record("cutdb", "{\"id\":2}"), Msg.streamState("cutdb", "{\"c\":2}"));
            waitFor(() -> db.column("SELECT state->>'c' FROM source_state WHERE sync_id = '" + sync + "'").equals(List.of("2")));
            proxy.cut();
            p.out(Msg.record("cutdb", "{\"id\":3}"), Msg.record("cutdb", "{\"id\":4}"), Msg.streamState("cutdb", "{\"c\":4}"));
            p.closePipes();
            exit = p.exitCode();
            output = p.processOutput();
        }
        assertTrue(exit != 0, "a sidecar that could not write the end must not exit as if it had: " + output);
        assertEquals(List.of("2"), db.column("SELECT state->>'c' FROM source_state WHERE sync_id = '" + sync + "'"),
                "the state of rows whose state could not be stored is not claimed");
        // rows past the stored state may be in the table (committed at the checkpoint whose state was lost):
        // the next run reads them again from state 2 and merges them on the primary key
        assertEquals(List.of("1", "2", "3", "4", "42"), db.column("SELECT id FROM " + table("src_cutdb") + " ORDER BY id"));
        assertEquals("RUNNING", task(taskId).get("status"), "no end claimed: the worker ends it from the pod's exit");
    }

    @Test
    void sigtermAfterACancelRequestCancelsAbortsTheOpenStreamAndReportsStatistics() throws Exception {
        String sync = "cancel-" + id();
        String taskId = sync + "-t1";
        // the cancel job marks the task row before it deletes the pod
        db.exec("INSERT INTO syncctl_task (id, type, package, version, sync_id, task_id, phase, cancel_requested_at) VALUES ('"
                + io.syncctl.shared.task.JobIds.readTask(taskId) + "', 'read', 'syncctl/source-test', '1.0', '" + sync + "', '"
                + taskId + "', 'LAUNCHED', now())");
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_slow") + " (id bigint);"
                + "INSERT INTO " + table("src_slow") + " VALUES (7)");
        try (SidecarProcess p = read(sync, taskId, Msg.catalog(Msg.stream("slow", USERS, false)), null).start()) {
            p.out(Msg.record("slow", "{\"id\":1}"), Msg.record("slow", "{\"id\":2}"));
            waitFor(() -> db.column("SELECT count(*) FROM task_log WHERE task_id = '" + taskId + "' AND message LIKE 'stream slow%'").equals(List.of("1")));
            p.sigterm();
            assertTrue(p.exitCode() != 0);
        }
        Map<String, String> t = task(taskId);
        assertEquals("CANCELLED", t.get("status"));
        JsonNode slow = stats(taskId).path("slow");
        assertEquals(2, slow.path("events").asInt());
        assertEquals("CANCELLED", slow.path("status").asText());
        assertEquals(List.of("7"), db.column("SELECT id FROM " + table("src_slow")), "the old table is untouched");
    }

    @Test
    void sigtermThatNoCancelAskedForFailsTheReadAsStoppedByKubernetesKeepingOnlyWhatWasCheckpointed() throws Exception {
        // an eviction, drain or preemption: SIGTERM, and nobody asked to cancel
        String sync = "evicted-" + id();
        String taskId = sync + "-t1";
        db.exec("INSERT INTO syncctl_task (id, type, package, version, sync_id, task_id, phase) VALUES ('"
                + io.syncctl.shared.task.JobIds.readTask(taskId) + "', 'read', 'syncctl/source-test', '1.0', '" + sync + "', '"
                + taskId + "', 'LAUNCHED')");
        db.exec("CREATE SCHEMA IF NOT EXISTS " + db.destSchema + "; CREATE TABLE " + table("src_cut") + " (id bigint);"
                + "INSERT INTO " + table("src_cut") + " VALUES (7)");
        String output;
        try (SidecarProcess p = read(sync, taskId, Msg.catalog(Msg.stream("cut", USERS, false)), null).start()) {
            p.out(Msg.record("cut", "{\"id\":1}"), Msg.record("cut", "{\"id\":2}"));
            waitFor(() -> db.column("SELECT count(*) FROM task_log WHERE task_id = '" + taskId + "' AND message LIKE 'stream cut%'").equals(List.of("1")));
            p.sigterm();
            assertTrue(p.exitCode() != 0);
            output = p.processOutput();
        }
        Map<String, String> t = task(taskId);
        assertEquals("FAILED", t.get("status"), output);
        assertEquals("stopped by Kubernetes (eviction, drain or preemption)", t.get("error"));
        JsonNode cut = stats(taskId).path("cut");
        assertEquals("FAILED", cut.path("status").asText());
        assertEquals("stopped by Kubernetes (eviction, drain or preemption)", cut.path("error").asText());
        assertEquals(List.of("7"), db.column("SELECT id FROM " + table("src_cut")), "the old table is untouched");
        assertEquals(List.of(), db.column("SELECT stream FROM source_state WHERE sync_id = '" + sync + "'"), "no state claimed");
    }

    @Test
    void sigtermAfterTheApiCancelledTheReadWritesItsFiguresOnTheCancelledRow() throws Exception {
        // /cancel marks the row CANCELLED at once; the pod's SIGTERM comes after, mid-stream, past a checkpoint
        String sync = "cancelled-" + id();
        String output;
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("slow", USERS, true)), null).start()) {
            p.out(Msg.record("slow", "{\"id\":1}"), Msg.streamState("slow", "{\"cursor\":1}"), Msg.record("slow", "{\"id\":2}"));
            waitFor(() -> db.column("SELECT count(*) FROM task_log WHERE task_id = '" + sync + "-t1' AND message LIKE 'stream slow%'").equals(List.of("1")));
            db.exec("UPDATE source_task SET status = 'CANCELLED', description = 'cancelled on request' WHERE task_id = '" + sync + "-t1'");
            p.sigterm();
            assertTrue(p.exitCode() != 0);
            output = p.processOutput();
        }
        JsonNode slow = stats(sync + "-t1").path("slow");
        assertEquals("CANCELLED", slow.path("status").asText(), output);
        assertEquals(2, slow.path("events").asInt(), output);
        assertEquals("CANCELLED", task(sync + "-t1").get("status"));
    }

    @Test
    void aConnectorThatGoesQuietFailsTheReadAfterTheIdleTimeout() throws Exception {
        String sync = "idle-" + id();
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("s", USERS, false)), null)
                .env("IDLE_TIMEOUT", "2s").start()) {
            p.out(Msg.record("s", "{\"id\":1}"));
            assertEquals(1, p.exitCode());
        }
        Map<String, String> t = task(sync + "-t1");
        assertEquals("FAILED", t.get("status"));
        assertEquals("no message from the connector for 2s", t.get("error"));
        assertEquals("no message from the connector for 2s", stats(sync + "-t1").path("s").path("error").asText());
    }

    @Test
    void awkwardNamesNewFieldsAndHugeRecordsLoad() throws Exception {
        String sync = "names-" + id();
        String longField = "a_field_name_that_is_much_longer_than_sixty_three_bytes_in_postgres_x";
        String catalog = "{\"streams\":[{\"stream\":{\"name\":\"Odd \\\"Name\\\"\",\"json_schema\":{\"properties\":{"
                + "\"select\":{\"type\":\"string\"},\"Mixed Case\":{\"type\":\"integer\"},\"" + longField + "\":{\"type\":\"boolean\"}}}},"
                + "\"sync_mode\":\"full_refresh\",\"table_name\":\"Table With \\\"Quotes\\\" And Spaces\"}]}";
        String huge = "x".repeat(3_000_000);
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, null).start()) {
            p.out(Msg.record("Odd \\\"Name\\\"", "{\"select\":\"s1\",\"Mixed Case\":5,\"" + longField + "\":true}"),
                    Msg.record("Odd \\\"Name\\\"", "{\"select\":\"" + huge + "\",\"late\":7}"),
                    Msg.record("Odd \\\"Name\\\"", "{\"select\":\"s3\",\"late\":8,\"Late\":\"x\"}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        // table names as Bulker makes them: characters other than letters, digits, _, space, $, - become _
        String t = table("Table With _Quotes_ And Spaces");
        String shortened = longField.substring(0, 54) + "_";
        Map<String, String> types = db.columnTypes("Table With _Quotes_ And Spaces");
        assertEquals(List.of("select", "Mixed Case", "late", "Late"), types.keySet().stream().filter(c -> !c.startsWith(shortened)).toList());
        String longColumn = types.keySet().stream().filter(c -> c.startsWith(shortened)).findFirst().orElseThrow();
        assertEquals(63, longColumn.length());
        assertEquals("boolean", types.get(longColumn));
        assertEquals("bigint", types.get("late"));
        assertEquals(List.of("2:5:true:-:-", "2:-:-:8:x", "3000000:-:-:7:-"),
                db.column("SELECT length(\"select\") || ':' || coalesce(\"Mixed Case\"::text, '-') || ':' || coalesce(\"" + longColumn
                        + "\"::text, '-') || ':' || coalesce(late::text, '-') || ':' || coalesce(\"Late\", '-') FROM " + t
                        + " ORDER BY length(\"select\"), \"select\""));
    }

    @Test
    void secretsFromTheConfigNeverReachTaskLogOrTheTaskRow() throws Exception {
        String sync = "secrets-" + id();
        db.exec("INSERT INTO source_spec (package, version, specs) VALUES ('syncctl/source-test', '1.0', "
                + "'{\"connectionSpecification\":{\"properties\":{\"conn\":{\"type\":\"string\",\"airbyte_secret\":true},"
                + "\"host\":{\"type\":\"string\"}}}}') ON CONFLICT DO NOTHING");
        List<String> secrets = List.of("conn-string-s3cr3t", "tok-abcdef-123", "hunter2pw", "Sup3r\"Quoted");
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("s", USERS, false)), null)
                .config("config.json", "{\"host\":\"db.example\",\"conn\":\"conn-string-s3cr3t\",\"credentials\":"
                        + "{\"auth\":{\"API_Token\":\"tok-abcdef-123\"}},\"Password\":\"hunter2pw\",\"list\":[{\"client_secret\":\"Sup3r\\\"Quoted\"}]}")
                .start()) {
            p.out("INFO connecting to db.example with conn-string-s3cr3t",
                    Msg.log("INFO", "token is tok-abcdef-123 and password hunter2pw"),
                    Msg.log("DEBUG", "quoted Sup3r\\\"Quoted in json"),
                    Msg.record("s", "{\"id\":1}"),
                    Msg.traceError("s", "login failed for hunter2pw"));
            p.err("WARN stderr shows conn-string-s3cr3t");
            p.closePipes();
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        List<String> logs = db.column("SELECT message FROM task_log WHERE task_id = '" + sync + "-t1'");
        assertTrue(logs.contains("INFO connecting to db.example with ****"), logs.toString());
        assertTrue(logs.contains("token is **** and password ****"), logs.toString());
        assertTrue(logs.contains("quoted **** in json"), logs.toString());
        assertTrue(logs.contains("WARN stderr shows ****"), logs.toString());
        Map<String, String> t = task(sync + "-t1");
        assertEquals("login failed for ****", t.get("error"));
        for (String secret : secrets) {
            for (String line : logs) {
                assertFalse(line.contains(secret), line);
            }
            assertFalse(t.toString().contains(secret), t.toString());
        }
    }

    @Test
    void legacyAndGlobalStatesCheckpointEveryStream() throws Exception {
        String sync = "global-" + id();
        String catalog = Msg.catalog(Msg.stream("a", USERS, true, "id"), Msg.stream("b", USERS, true));
        // an incoming legacy state: both streams append, so each checkpoint commits both
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, "{\"v\":0}").start()) {
            p.out(Msg.record("a", "{\"id\":1}"), Msg.record("b", "{\"id\":2}"), Msg.legacyState("{\"v\":1}"),
                    Msg.record("a", "{\"id\":3}"), Msg.globalState("{\"lsn\":7}"),
                    Msg.record("b", "{\"id\":4}"));
            p.rawOut("{\"type\":\"REC");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1", "3"), db.column("SELECT id FROM " + table("src_a") + " ORDER BY id"));
        assertEquals(List.of("2"), db.column("SELECT id FROM " + table("src_b") + " ORDER BY id"));
        assertEquals(List.of("_GLOBAL_STATE:{\"shared_state\":{\"lsn\":7},\"stream_states\":[]}",
                        "_LEGACY_STATE:{\"v\":1}"),
                // state is jsonb (as the console has it): compare the JSON, not its spacing
                db.column("SELECT stream || ':' || regexp_replace(state::text, '([:,]) ', '\\1', 'g') FROM source_state WHERE sync_id = '"
                        + sync + "' ORDER BY stream"));
    }

    @Test
    void readOptionsNamespaceSameCaseMetaAndNoDeduplication() throws Exception {
        String sync = "opts-" + id();
        String namespace = db.destSchema + "_ns";
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("Events", "{\"ID\":{\"type\":\"integer\"}}", true, "ID")), null)
                .env("NAMESPACE", namespace).env("TO_SAME_CASE", "true").env("ADD_META", "true").env("DEDUPLICATE", "false")
                .env("TABLE_NAME_PREFIX", "Src_").start()) {
            p.out(Msg.record("Events", "{\"ID\":1,\"Extra\":\"x\"}"), Msg.record("Events", "{\"ID\":1}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        try {
            assertEquals(List.of("1:x:true", "1:-:true"), db.column("SELECT id || ':' || coalesce(extra, '-') || ':' || (_syncctl_synced_at IS NOT NULL)"
                    + " FROM " + namespace + ".src_events ORDER BY extra NULLS LAST"));
        } finally {
            db.exec("DROP SCHEMA IF EXISTS " + namespace + " CASCADE");
        }
    }

    @Test
    void aRunningReadRefreshesItsTaskRow() throws Exception {
        String sync = "beat-" + id();
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("s", USERS, false)), null)
                .env("HEARTBEAT_INTERVAL", "1s").start()) {
            p.out(Msg.record("s", "{\"id\":1}"), Msg.record("s", "{\"id\":2}"));
            // the console's task table sums this JSON while the read runs
            waitFor(() -> task(sync + "-t1").get("description").startsWith("{")
                    && stats(sync + "-t1").path("s").path("events").asInt() == 2);
            assertEquals("RUNNING", stats(sync + "-t1").path("s").path("status").asText());
            assertEquals("RUNNING", task(sync + "-t1").get("status"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals("SUCCESS", task(sync + "-t1").get("status"));
    }

    @Test
    void anUnsupportedDestinationFailsEveryStreamAtOnceWithTheSupportedTypes() throws Exception {
        String sync = "baddest-" + id();
        // The connector never writes: the sidecar must not wait for it to learn that its output has nowhere to go.
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("s", USERS, false)), null)
                .config("destinationConfig.json", "{\"destinationType\":\"gcs\",\"password\":\"dest-pass-1\"}").startProcess()) {
            assertEquals(1, p.exitCode(), p.processOutput());
        }
        Map<String, String> t = task(sync + "-t1");
        assertEquals("FAILED", t.get("status"));
        assertEquals("destinationConfig.destinationType 'gcs' is not supported; supported: "
                + io.syncctl.shared.destination.DestinationTypes.names(), t.get("error"));
        assertEquals("FAILED", stats(sync + "-t1").path("s").path("status").asText());
    }

    @Test
    void aDestinationThatDoesNotAnswerFailsTheReadBeforeTheConnectorWrites() throws Exception {
        String sync = "nodest-" + id();
        String missingDatabase = db.postgresDestination().replace("\"syncctl_sidecar_test\"", "\"no_such_db_" + id() + "\"");
        String unreachable = db.postgresDestination().replace("\"port\":5432", "\"port\":1");
        for (String[] c : new String[][]{{missingDatabase, "does not exist"}, {unreachable, "Connection to 127.0.0.1:1 refused"}}) {
            String task = sync + "-" + id();
            try (SidecarProcess p = read(sync, task, Msg.catalog(Msg.stream("s", USERS, false)), null)
                    .config("destinationConfig.json", c[0]).startProcess()) {
                assertEquals(1, p.exitCode(), p.processOutput());
            }
            Map<String, String> t = task(task);
            assertEquals("FAILED", t.get("status"));
            assertTrue(t.get("error").startsWith("cannot connect to the postgres destination: "), t.get("error"));
            assertTrue(t.get("error").contains(c[1]), t.get("error"));
            assertEquals("FAILED", stats(task).path("s").path("status").asText());
            assertTrue(db.column("SELECT message FROM task_log WHERE task_id = '" + task + "'").stream().noneMatch(l -> l.contains("destination checked")), "no check passed");
        }
    }

    @Test
    void recordsFindTheirCatalogStreamWithOrWithoutItsNamespace() throws Exception {
        String sync = "ns-" + id();
        String catalog = "{\"streams\":[{\"stream\":{\"name\":\"items\",\"namespace\":\"shop\",\"json_schema\":{\"properties\":"
                + "{\"id\":{\"type\":\"integer\"}}}},\"sync_mode\":\"incremental\",\"primary_key\":[[\"id\"]]}]}";
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, null).start()) {
            p.out(Msg.record("items", "{\"id\":1}"),
                    "{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"namespace\":\"shop\",\"data\":{\"id\":2}}}",
                    Msg.streamState("items", "{\"c\":2}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1", "2"), db.column("SELECT id FROM " + table("src_items") + " ORDER BY id"));
        assertEquals(List.of("shop.items"), db.column("SELECT stream FROM source_state WHERE sync_id = '" + sync + "'"));
        assertEquals(2, stats(sync + "-t1").path("shop.items").path("events").asInt());
    }

    @Test
    void legacyNamespaceNamesTablesAsTheGoSidecarAndBulkerDo() throws Exception {
        String sync = "legacy-" + id();
        String catalog = "{\"streams\":[{\"stream\":{\"name\":\"items\",\"namespace\":\"shop\",\"json_schema\":{\"properties\":"
                + "{\"id\":{\"type\":\"integer\"}}}},\"sync_mode\":\"full_refresh\",\"destination_sync_mode\":\"overwrite\"}]}";
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, null).env("NAMESPACE", "${LEGACY}").env("TABLE_NAME_PREFIX", "").start()) {
            p.out("{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"namespace\":\"shop\",\"data\":{\"id\":1}}}");
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        // no destination namespace: the default schema; table "shop.items" as Bulker adapts it
        assertEquals(List.of("1"), db.column("SELECT id FROM " + table("shop_items")));
        assertEquals(List.of("jitsu"), db.column("SELECT DISTINCT logger FROM task_log WHERE task_id = '" + sync + "-t1'"));
    }
}
