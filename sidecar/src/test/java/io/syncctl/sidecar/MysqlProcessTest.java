package io.syncctl.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.syncctl.sidecar.Eventually.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * read into the mysql destination (the MariaDB server of this machine) by the sidecar as a separate process:
 * the synthetic source end to end, states stored only after their data, a killed sidecar, the early check.
 */
class MysqlProcessTest extends WithTestDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USERS = ReadProcessTest.USERS;
    private static TestMysql my;

    @BeforeAll
    static void createMysqlDatabase() {
        my = new TestMysql();
    }

    @AfterAll
    static void dropMysqlDatabase() {
        my.drop();
    }

    private SidecarProcess read(String sync, String task, String catalog, String state) throws Exception {
        return read(sync, task, catalog, state, true);
    }

    /** @param localInfile false: the driver refuses LOAD DATA LOCAL INFILE, so rows go by INSERT */
    private SidecarProcess read(String sync, String task, String catalog, String state, boolean localInfile) throws Exception {
        SidecarProcess p = new SidecarProcess("read", db).env("SYNC_ID", sync).env("TASK_ID", task).env("TABLE_NAME_PREFIX", "src_")
                .config("config.json", "{}").config("catalog.json", catalog).config("destinationConfig.json", my.destinationConfig(localInfile));
        if (state != null) {
            p.config("state.json", state);
        }
        return p;
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private Map<String, String> task(String taskId) throws Exception {
        return db.row("SELECT status, description, error FROM source_task WHERE task_id = '" + taskId + "'");
    }

    private List<String> states(String sync) throws Exception {
        return db.column("SELECT stream || ':' || (state->>'c') FROM source_state WHERE sync_id = '" + sync + "' ORDER BY stream");
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void theSyntheticSourceLoadsTypedTablesAndItsStateFollowsTheData(boolean localInfile) throws Exception {
        String sync = "my-syn-" + id();
        String prefix = localInfile ? "src_" : "ins_";
        String schema = "{\"id\":{\"type\":\"integer\"},\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
                + "\"name\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"},\"active\":{\"type\":\"boolean\"},\"payload\":{\"type\":\"string\"}}";
        String catalog = Msg.catalog(Msg.stream("stream_1", schema, true, "id"), Msg.stream("stream_2", schema, false));
        try (SidecarProcess p = read(sync, sync + "-t1", catalog, "{}", localInfile).env("TABLE_NAME_PREFIX", prefix)
                .env("PACKAGE", "syncctl/source-synthetic")
                .config("config.json", "{\"streams\":2,\"records_per_stream\":700,\"checkpoint_every\":200,\"incremental\":true}")) {
            p.startWithSyntheticSource("read", "--config", "config.json", "--catalog", "catalog.json", "--state", "state.json");
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals("SUCCESS", task(sync + "-t1").get("status"), task(sync + "-t1").toString());
        String path = localInfile && my.serverAllowsLocalInfile() ? "LOAD DATA LOCAL INFILE" : "multi-row INSERT";
        assertEquals(1, db.column("SELECT message FROM task_log WHERE task_id = '" + sync + "-t1' AND level = 'INFO'").stream()
                .filter(m -> m.startsWith("mysql destination: loading by " + path)).count(), "the task log names the path");
        for (String table : List.of(prefix + "stream_1", prefix + "stream_2")) {
            assertEquals(List.of("1..700 700 700"), my.column("SELECT concat(min(id), '..', max(id), ' ', count(*), ' ', count(DISTINCT id)) FROM `"
                    + table + "`"));
            assertEquals(List.of("0"), my.column("SELECT count(*) FROM `" + table + "` WHERE updated_at IS NULL OR name IS NULL"
                    + " OR amount IS NULL OR active IS NULL"), "every typed value loaded");
        }
        assertEquals("timestamp(6)", my.columnTypes(prefix + "stream_1").get("updated_at"));
        // the stored cursor of each stream is the last record's: the state came after all its data
        String maxUpdated = my.column("SELECT DATE_FORMAT(max(updated_at), '%Y-%m-%dT%H:%i:%s') FROM " + prefix + "stream_1").get(0);
        String stored = db.row("SELECT state->>'updated_at' AS c FROM source_state WHERE sync_id = '" + sync + "' AND stream = 'stream_1'").get("c");
        assertTrue(stored.startsWith(maxUpdated), stored + " vs " + maxUpdated);
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void aStateIsStoredOnlyAfterItsDataAndAKilledSidecarKeepsTheLastCheckpointOnly(boolean localInfile) throws Exception {
        String sync = "my-kill-" + id();
        String t = localInfile ? "src_events" : "ins_events";
        my.exec("CREATE TABLE `" + my.database + "`.`" + t + "` (id bigint PRIMARY KEY, name text)");
        my.exec("INSERT INTO `" + my.database + "`.`" + t + "` VALUES (42, 'before')");
        List<String> seenWithState = new ArrayList<>();
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("events", USERS, true, "id")),
                "[" + Msg.stateObject("events", "{\"c\":0}") + "]", localInfile).env("TABLE_NAME_PREFIX", t.substring(0, 4)).start()) {
            p.out(Msg.record("events", "{\"id\":1,\"name\":\"a\"}"), Msg.record("events", "{\"id\":2,\"name\":\"b\"}"),
                    Msg.streamState("events", "{\"c\":2}"));
            waitFor(() -> !states(sync).isEmpty());
            // the moment the state is there, the rows it covers are in the table
            seenWithState.addAll(my.column("SELECT id FROM `" + t + "` ORDER BY id"));
            p.out(Msg.record("events", "{\"id\":3,\"name\":\"c\"}"), Msg.record("events", "{\"id\":42,\"name\":\"changed\"}"));
            Thread.sleep(500);
            p.sigkill();
        }
        assertEquals(List.of("1", "2", "42"), seenWithState);
        assertEquals(List.of("events:2"), states(sync));
        assertEquals(List.of("1:a", "2:b", "42:before"), my.column("SELECT concat(id, ':', name) FROM `" + t + "` ORDER BY id"),
                "nothing after the last checkpoint");
    }

    @Test
    void aSidecarKilledMidReplacementLeavesThePreviousTableAndStoresNoState() throws Exception {
        String sync = "my-repl-" + id();
        String t = "src_big";
        my.exec("CREATE TABLE `" + my.database + "`.`" + t + "` (id bigint, name text)");
        my.exec("INSERT INTO `" + my.database + "`.`" + t + "` VALUES (42, 'previous')");
        try (SidecarProcess p = read(sync, sync + "-t1", Msg.catalog(Msg.stream("big", USERS, false)), null).start()) {
            String[] batch = new String[1000];
            for (int chunk = 0; chunk < 20; chunk++) {
                for (int i = 0; i < batch.length; i++) {
                    int n = chunk * batch.length + i;
                    batch[i] = Msg.record("big", "{\"id\":" + n + ",\"name\":\"row " + n + " é\"}");
                }
                p.out(batch);
                if (chunk == 9) {
                    p.out(Msg.streamState("big", "{\"c\":10000}"));
                }
            }
            // the replacement's new table holds committed chunks by now
            waitFor(() -> !my.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + my.database
                    + "' AND table_name LIKE 'src_big_tmp_%'").isEmpty());
            p.sigkill();
        }
        assertEquals(List.of("42:previous"), my.column("SELECT concat(id, ':', name) FROM `" + t + "`"));
        assertEquals(List.of(), states(sync), "a replacing stream's state waits for its swap");

        // the next run of the sync replaces the table whole
        try (SidecarProcess p = read(sync, sync + "-t2", Msg.catalog(Msg.stream("big", USERS, false)), null).start()) {
            p.out(Msg.record("big", "{\"id\":1,\"name\":\"new\"}"), Msg.streamState("big", "{\"c\":1}"));
            p.closePipes();
            assertEquals(0, p.exitCode(), p.processOutput());
        }
        assertEquals(List.of("1:new"), my.column("SELECT concat(id, ':', name) FROM `" + t + "`"));
        assertEquals(List.of("big:1"), states(sync));
    }

    @Test
    void anUnreachableServerOrBadPasswordFailsTheReadBeforeTheConnectorWrites() throws Exception {
        String sync = "my-nodest-" + id();
        String unreachable = my.destinationConfig().replace("\"port\":3306", "\"port\":1");
        String badPassword = my.destinationConfig().replace("\"username\":\"root\",\"password\":\"\"",
                "\"username\":\"syncctl_nobody\",\"password\":\"dest-pass-9\"");
        for (String[] c : new String[][]{{unreachable, "mysql destination: cannot connect to 127.0.0.1:1: "},
                {badPassword, "mysql destination: access denied for user syncctl_nobody at 127.0.0.1:3306"}}) {
            String task = sync + "-" + id();
            try (SidecarProcess p = read(sync, task, Msg.catalog(Msg.stream("s", USERS, false)), null)
                    .config("destinationConfig.json", c[0]).startProcess()) {
                assertEquals(1, p.exitCode(), p.processOutput());
            }
            Map<String, String> row = task(task);
            assertEquals("FAILED", row.get("status"));
            assertTrue(row.get("error").startsWith(c[1]), row.get("error"));
            assertTrue(!row.get("error").contains("dest-pass-9"), row.get("error"));
            JsonNode stats = JSON.readTree(row.get("description"));
            assertEquals("FAILED", stats.path("s").path("status").asText());
        }
    }
}
