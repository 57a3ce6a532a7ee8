package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Db;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads of the synthetic source into a MySQL destination (the MariaDB server of this machine,
 * 127.0.0.1:3306, root) through the whole product: api → queue → worker → pod → sidecar → MariaDB,
 * in a database {@code <run schema>_mysql} of this run, dropped after the class.
 */
@Order(2)
class MysqlDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, Object> CONFIG = Synthetic.config("streams", 2, "records_per_stream", 300,
            "checkpoint_every", 100, "incremental", true);

    private static Stack stack;
    private static Api api;
    private static Results results;
    private static String database;

    @BeforeAll
    static void submitReads() throws SQLException {
        stack = Stack.get();
        api = stack.api();
        results = new Results(stack.db());
        database = Stack.runSchema() + "_mysql";
        exec("DROP DATABASE IF EXISTS `" + database + "`");
        exec("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        api.read(SOURCE, VERSION, "mysql-read-1", "mysql-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), null,
                destination("")), "tableNamePrefix", "my_").ok();
        api.read(SOURCE, VERSION, "mysql-read-badpass", "mysql-sync-badpass", Synthetic.readBody(CONFIG, Synthetic.catalog(1, true), null,
                destination("wrong-e2e-pass")), "tableNamePrefix", "my_").ok();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        exec("DROP DATABASE IF EXISTS `" + database + "`");
    }

    /** The destination as the Jitsu console sends it; {@code username} root, or a user that does not exist when a password is given. */
    private static Map<String, Object> destination(String password) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("destinationType", "mysql");
        d.put("host", "127.0.0.1");
        d.put("port", 3306);
        d.put("database", database);
        d.put("username", password.isEmpty() ? "root" : "syncctl_e2e_nobody");
        d.put("password", password);
        d.put("parameters", Map.of("tls", "preferred"));
        return d;
    }

    @Test
    void readsLoadMysqlAndASecondIncrementalReadAppendsOnlyNewRows() throws SQLException {
        Map<String, Object> first = results.read("mysql-read-1", TIMEOUT);
        assertEquals("SUCCESS", first.get("status"), first.toString());
        JsonNode stats = Db.json(first.get("description"));
        for (String stream : List.of("stream_1", "stream_2")) {
            assertEquals(300, stats.path(stream).path("events").asLong(), stats.toString());
            assertEquals(List.of("300 300 1 300 0"), idsOf("my_" + stream));
        }
        assertEquals("timestamp(6)", query("SELECT column_type FROM information_schema.columns WHERE table_schema = '" + database
                + "' AND table_name = 'my_stream_1' AND column_name = 'updated_at'").get(0));
        List<Map<String, Object>> state = results.db().rows(
                "SELECT stream, state FROM source_state WHERE sync_id = 'mysql-sync' ORDER BY stream");
        assertEquals(List.of("stream_1", "stream_2"), state.stream().map(r -> r.get("stream")).toList());

        List<JsonNode> stored = state.stream().map(r -> streamState((String) r.get("stream"), Db.json(r.get("state")))).toList();
        api.read(SOURCE, VERSION, "mysql-read-2", "mysql-sync", Synthetic.readBody(CONFIG, Synthetic.catalog(2, true), stored,
                destination("")), "tableNamePrefix", "my_").ok();
        Map<String, Object> second = results.read("mysql-read-2", TIMEOUT);
        assertEquals("SUCCESS", second.get("status"), second.toString());
        for (String stream : List.of("stream_1", "stream_2")) {
            assertEquals(List.of("600 600 1 600 0"), idsOf("my_" + stream), stream + " keeps the first read's rows and adds the new ones");
        }
    }

    @Test
    void aWrongPasswordFailsTheReadWithTheReasonBeforeAnyRecord() {
        Map<String, Object> row = results.read("mysql-read-badpass", TIMEOUT);
        assertEquals("FAILED", row.get("status"), row.toString());
        String error = String.valueOf(row.get("error"));
        assertTrue(error.startsWith("mysql destination: access denied for user syncctl_e2e_nobody at 127.0.0.1:3306"), error);
        assertTrue(!error.contains("wrong-e2e-pass"), error);
    }

    @Test
    void aMysqlDestinationWithoutItsRequiredFieldsIsRefusedAtTheDoor() {
        Map<String, Object> d = destination("");
        d.remove("username");
        Api.Answer a = api.read(SOURCE, VERSION, "mysql-read-refused", "mysql-sync-refused",
                Synthetic.readBody(CONFIG, Synthetic.catalog(1, true), null, d));
        assertEquals(400, a.status(), a.toString());
        assertTrue(a.body().toString().contains("destinationConfig.username is required for destinationType mysql"), a.toString());
        assertEquals(null, results.taskStatus("mysql-read-refused"), "nothing was queued");
    }

    /** "rows distinct-ids min max rows-with-a-null-typed-value" */
    private static List<String> idsOf(String table) throws SQLException {
        return query("SELECT concat(count(*), ' ', count(DISTINCT id), ' ', min(id), ' ', max(id), ' ',"
                + " sum(updated_at IS NULL OR amount IS NULL OR active IS NULL OR name IS NULL)) FROM `" + database + "`.`" + table + "`");
    }

    private static JsonNode streamState(String stream, JsonNode inner) {
        ObjectNode message = JSON.createObjectNode().put("type", "STREAM");
        ObjectNode s = message.putObject("stream");
        s.putObject("stream_descriptor").put("name", stream);
        s.set("stream_state", inner);
        return message;
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("sslMode", "disable");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://127.0.0.1:3306/", p);
    }

    private static void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
