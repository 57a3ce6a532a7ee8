package io.syncctl.sidecar.destination.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.protocol.RawJson;
import io.syncctl.shared.protocol.StreamDescriptor;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.TestMysql;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;
import io.syncctl.sidecar.destination.StreamWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mysql destination's writers against the real MariaDB server of this machine, row by row. */
class MysqlDestinationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReadOptions PLAIN = ReadOptions.DEFAULTS;
    private static TestMysql db;

    @BeforeAll
    static void createDatabase() {
        db = new TestMysql();
    }

    @AfterAll
    static void dropDatabase() {
        db.drop();
    }

    private static MysqlDestination destination(ReadOptions options) throws Exception {
        return destination(options, true);
    }

    /** @param localInfile false: the driver refuses LOAD DATA LOCAL INFILE, so rows go by INSERT */
    private static MysqlDestination destination(ReadOptions options, boolean localInfile) throws Exception {
        return MysqlDestination.from(JSON.readTree(db.destinationConfig(localInfile)), options, "task-" + UUID.randomUUID());
    }

    private static DestinationStream stream(String table, boolean replace, List<String> pk, SchemaField... fields) {
        return new DestinationStream(null, table, List.of(fields), pk, replace);
    }

    private static void write(StreamWriter w, String... data) throws Exception {
        for (String d : data) {
            w.write(new AirbyteMessage.Record(new StreamDescriptor(null, "s"), RawJson.of(d), 0));
        }
    }

    private static String q(String table) {
        return "`" + table + "`";
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void typesMetaColumnsUnicodeAndQuotingLoadAsBulkerLaysThemOut(boolean localInfile) throws Exception {
        String longField = "a_field_name_that_is_much_longer_than_sixty_three_characters_in_mysql_x";
        StreamWriter w = destination(new ReadOptions(null, false, true, true, false, false), localInfile).open(stream("Typed Table.v1", true, List.of(),
                new SchemaField("id", FieldType.INTEGER), new SchemaField("name", FieldType.TEXT),
                new SchemaField("updated_at", FieldType.TIMESTAMP), new SchemaField("score", FieldType.NUMBER),
                new SchemaField("ok", FieldType.BOOLEAN), new SchemaField("extra", FieldType.JSON),
                new SchemaField("select", FieldType.TEXT), new SchemaField("Odd `name` \"q\"", FieldType.TEXT)));
        write(w, "{\"id\":1,\"name\":\"Ann\",\"updated_at\":\"2024-01-01T10:00:00Z\",\"score\":1.5,\"ok\":true,\"extra\":{\"x\":[1,2]},"
                        + "\"select\":\"s\",\"Odd `name` \\\"q\\\"\":\"o\"}",
                "{\"id\":2,\"name\":\"Tab\\tNew\\nLine \\\\ back 'single' \\\"double\\\" `tick` é 中文 😀\",\"updated_at\":\"2024-01-02T12:30:00.123456+02:00\","
                        + "\"score\":-2e3,\"ok\":false,\"extra\":[\"é\",null]}",
                "{\"id\":3,\"name\":null,\"updated_at\":\"2024-01-03\",\"ok\":\"true\",\"" + longField + "\":7}",
                "{\"id\":4,\"name\":\"\",\"updated_at\":\"\",\"score\":\"\",\"ok\":1,\"Late\":\"x\"}",
                "{\"id\":5,\"updated_at\":\"1965-05-05T00:00:00Z\",\"late\":\"y\",\"ok\":\"maybe\"}");
        w.checkpoint();
        write(w, "{\"id\":6,\"updated_at\":\"not a date\",\"new_after_checkpoint\":true}");
        w.complete();

        String t = "Typed Table_v1";
        Map<String, String> types = db.columnTypes(t);
        String longColumn = types.keySet().stream().filter(c -> c.startsWith(longField.substring(0, 54) + "_")).findFirst().orElseThrow();
        assertEquals(63, longColumn.length());
        assertEquals(List.of("id", "name", "updated_at", "score", "ok", "extra", "select", "Odd _name_ _q_", "_jitsu_timestamp",
                longColumn, "Late", "new_after_checkpoint"), List.copyOf(types.keySet()));
        assertTrue(types.get("id").startsWith("bigint"), types.toString());
        assertEquals("text", types.get("name"));
        assertEquals("timestamp(6)", types.get("updated_at"));
        assertEquals("double", types.get("score"));
        assertEquals("tinyint(1)", types.get("ok"));
        assertTrue(List.of("json", "longtext").contains(types.get("extra")), types.get("extra")); // MariaDB's json is longtext
        assertTrue(types.get(longColumn).startsWith("bigint"));
        assertEquals("text", types.get("Late"), "late and Late share a column: MySQL column names ignore case");
        assertTrue(types.get("new_after_checkpoint").startsWith("tinyint"));

        List<Map<String, String>> rows = db.rows("SELECT id, name, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS u, score, ok, extra,"
                + " `select`, `Odd _name_ _q_` AS odd, `" + longColumn + "` AS lng, Late, new_after_checkpoint AS nac,"
                + " _jitsu_timestamp IS NOT NULL AS meta FROM " + q(t) + " ORDER BY id");
        assertEquals(6, rows.size());
        assertEquals(Map.of("id", "1", "name", "Ann", "u", "2024-01-01 10:00:00.000000", "score", "1.5", "ok", "1", "extra", "{\"x\":[1,2]}",
                "select", "s", "odd", "o", "meta", "1"), withoutNulls(rows.get(0)));
        assertEquals("Tab\tNew\nLine \\ back 'single' \"double\" `tick` é 中文 😀", rows.get(1).get("name"));
        assertEquals("2024-01-02 10:30:00.123456", rows.get(1).get("u"), "offsets are converted to UTC");
        assertEquals("-2000", rows.get(1).get("score"));
        assertEquals("0", rows.get(1).get("ok"));
        assertEquals("[\"é\",null]", rows.get(1).get("extra"));
        assertEquals(Map.of("id", "3", "u", "2024-01-03 00:00:00.000000", "ok", "1", "lng", "7", "meta", "1"), withoutNulls(rows.get(2)));
        assertEquals(Map.of("id", "4", "name", "", "ok", "1", "Late", "x", "meta", "1"), withoutNulls(rows.get(3)),
                "empty strings are NULL except in text");
        assertEquals(Map.of("id", "5", "Late", "y", "meta", "1"), withoutNulls(rows.get(4)),
                "a date a TIMESTAMP cannot hold and a word that is no boolean are NULL");
        assertEquals(Map.of("id", "6", "nac", "1", "meta", "1"), withoutNulls(rows.get(5)));
        assertEquals(List.of(t), db.tables().stream().filter(n -> n.startsWith("Typed")).toList(), "no temporary table left");
    }

    private static Map<String, String> withoutNulls(Map<String, String> row) {
        Map<String, String> out = new java.util.LinkedHashMap<>(row);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void replaceIsAtomicForAConcurrentReaderAndCheckpointsStayInvisible(boolean localInfile) throws Exception {
        String t = "swap_" + UUID.randomUUID().toString().substring(0, 6);
        db.exec("CREATE TABLE `" + db.database + "`." + q(t) + " (id bigint)");
        db.exec("INSERT INTO `" + db.database + "`." + q(t) + " SELECT seq FROM `" + db.database + "`.seq_1_to_100");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var c = db.connect(); var st = c.createStatement()) {
                while (!stop.get()) {
                    try (var rs = st.executeQuery("SELECT count(*) FROM " + q(t))) {
                        rs.next();
                        seen.add(rs.getString(1));
                    } catch (Exception e) {
                        errors.add(e);
                    }
                }
            } catch (Exception e) {
                errors.add(e);
            }
        });
        StreamWriter w = destination(PLAIN, localInfile).open(stream(t, true, List.of(), new SchemaField("id", FieldType.INTEGER)));
        for (int chunk = 0; chunk < 5; chunk++) {
            for (int i = 1; i <= 1000; i++) {
                write(w, "{\"id\":" + (chunk * 1000 + i) + "}");
            }
            w.checkpoint();
        }
        assertEquals(List.of("100"), db.column("SELECT count(*) FROM " + q(t)), "checkpoints of a replacement are not visible");
        w.complete();
        Thread.sleep(200);
        stop.set(true);
        reader.join();
        assertEquals(List.of(), errors, "the reader never found the table missing");
        assertTrue(seen.contains("100") && seen.contains("5000"), "the reader saw both tables");
        assertEquals(List.of(), seen.stream().filter(s -> !s.equals("100") && !s.equals("5000")).distinct().toList());
        assertEquals(List.of("5000"), db.column("SELECT count(*) FROM " + q(t)));
        assertEquals(List.of(t), db.tables().stream().filter(n -> n.startsWith(t)).toList());
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void anAbortedReplacementLeavesThePreviousTableWhole(boolean localInfile) throws Exception {
        String t = "keep_" + UUID.randomUUID().toString().substring(0, 6);
        db.exec("CREATE TABLE `" + db.database + "`." + q(t) + " (id bigint, name text)");
        db.exec("INSERT INTO `" + db.database + "`." + q(t) + " VALUES (7, 'old')");
        StreamWriter w = destination(PLAIN, localInfile).open(stream(t, true, List.of(), new SchemaField("id", FieldType.INTEGER)));
        write(w, "{\"id\":1}", "{\"id\":2}");
        w.checkpoint();
        write(w, "{\"id\":3,\"brand_new\":\"x\"}", "{\"id\":4}");
        w.abort();
        assertEquals(List.of("7:old"), db.column("SELECT concat(id, ':', name) FROM " + q(t)));
        assertEquals(List.of(t), db.tables().stream().filter(n -> n.startsWith(t)).toList(), "the new table is dropped");
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void appendMergesOnThePrimaryKeyAndAnAbortKeepsOnlyCheckpoints(boolean localInfile) throws Exception {
        String t = "merge_" + UUID.randomUUID().toString().substring(0, 6);
        List<SchemaField> fields = List.of(new SchemaField("code", FieldType.TEXT), new SchemaField("name", FieldType.TEXT));
        MysqlDestination d = destination(PLAIN, localInfile);
        StreamWriter w = d.open(new DestinationStream(null, t, fields, List.of("code"), false));
        write(w, "{\"code\":\"a\",\"name\":\"a1\"}", "{\"code\":\"b\",\"name\":\"b1\"}");
        w.checkpoint();
        write(w, "{\"code\":\"b\",\"name\":\"b2\"}", "{\"code\":\"c\",\"name\":\"c1\"}", "{\"code\":\"c\",\"name\":\"c2\"}");
        w.complete();
        assertEquals(List.of("a:a1", "b:b2", "c:c2"), db.column("SELECT concat(code, ':', name) FROM " + q(t) + " ORDER BY code"));
        assertEquals("varchar(255)", db.columnTypes(t).get("code"), "a text key is varchar(255), as Bulker makes it");
        assertEquals(List.of("code"), db.column("SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = '"
                + db.database + "' AND table_name = '" + t + "' AND constraint_name = 'PRIMARY'"));

        StreamWriter again = d.open(new DestinationStream(null, t, fields, List.of("code"), false));
        write(again, "{\"code\":\"a\",\"name\":\"a2\"}");
        again.checkpoint();
        // a new column mid-chunk commits implicitly in MySQL: the chunk is in the staging table, not the table
        write(again, "{\"code\":\"d\",\"name\":\"d1\"}", "{\"code\":\"e\",\"name\":\"e1\",\"added\":5}", "{\"code\":\"a\",\"name\":\"a3\"}");
        again.abort();
        assertEquals(List.of("a:a2", "b:b2", "c:c2"), db.column("SELECT concat(code, ':', name) FROM " + q(t) + " ORDER BY code"));
    }

    @ParameterizedTest(name = "localInfile={0}")
    @ValueSource(booleans = {true, false})
    void streamsWithANamespaceGoToThatDatabaseCreatedIfMissing(boolean localInfile) throws Exception {
        String ns = db.database + "_ns" + (localInfile ? "" : "_ins");
        try {
            StreamWriter w = destination(PLAIN, localInfile).open(new DestinationStream(ns, "items", List.of(new SchemaField("id", FieldType.INTEGER)),
                    List.of(), false));
            write(w, "{\"id\":1}");
            w.complete();
            assertEquals(List.of("1"), db.column("SELECT id FROM `" + ns + "`.items"));
        } finally {
            db.exec("DROP DATABASE IF EXISTS `" + ns + "`");
        }
    }

    @Test
    void theCheckNamesUnreachableHostsBadCredentialsMissingDatabasesAndMissingRights() throws Exception {
        destination(PLAIN).check();
        String user = "syncctl_t_" + UUID.randomUUID().toString().substring(0, 6);
        db.exec("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'right-pass-1'");
        db.exec("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY 'right-pass-1'");
        try {
            db.exec("GRANT SELECT ON `" + db.database + "`.* TO '" + user + "'@'%'");
            db.exec("GRANT SELECT ON `" + db.database + "`.* TO '" + user + "'@'localhost'");
            String unreachable = check("{\"host\":\"127.0.0.1\",\"port\":1,\"database\":\"" + db.database + "\",\"username\":\"root\"}");
            assertTrue(unreachable.startsWith("mysql destination: cannot connect to 127.0.0.1:1: "), unreachable);
            String badPassword = check("{\"host\":\"127.0.0.1\",\"database\":\"" + db.database + "\",\"username\":\"" + user
                    + "\",\"password\":\"wrong-pass-1\"}");
            assertEquals("mysql destination: access denied for user " + user + " at 127.0.0.1:3306 (wrong username or password)", badPassword);
            String missing = check("{\"host\":\"127.0.0.1\",\"database\":\"" + db.database + "_missing\",\"username\":\"root\"}");
            assertEquals("mysql destination: database " + db.database + "_missing does not exist at 127.0.0.1:3306", missing);
            String readOnly = check("{\"host\":\"127.0.0.1\",\"database\":\"" + db.database + "\",\"username\":\"" + user
                    + "\",\"password\":\"right-pass-1\"}");
            assertTrue(readOnly.startsWith("mysql destination: user " + user + " cannot create tables in database " + db.database), readOnly);
            for (String m : List.of(unreachable, badPassword, missing, readOnly)) {
                assertFalse(m.contains("pass-1"), m);
            }
        } finally {
            db.exec("DROP USER IF EXISTS '" + user + "'@'%'");
            db.exec("DROP USER IF EXISTS '" + user + "'@'localhost'");
        }
    }

    @Test
    void settingsAreCheckedWhenTheDestinationIsMade() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MysqlDestination.from(JSON.readTree("{\"destinationType\":\"mysql\",\"host\":\"h\",\"username\":\"u\"}"), PLAIN, "t"));
        assertEquals("mysql destinationConfig.database is required", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MysqlDestination.from(JSON.readTree(
                "{\"host\":\"h\",\"database\":\"d\",\"username\":\"u\",\"parameters\":{\"tls\":\"maybe\"}}"), PLAIN, "t"));
        assertEquals("mysql destinationConfig.parameters.tls must be true, false, skip-verify or preferred", e.getMessage());
    }

    @Test
    void theCheckChoosesLoadDataWhenServerAndDriverAllowItElseInserts() throws Exception {
        MysqlDestination byDefault = destination(PLAIN);
        assertEquals(null, byDefault.loadingNote(), "nothing decided before the check");
        byDefault.check();
        if (db.serverAllowsLocalInfile()) {
            assertEquals("mysql destination: loading by LOAD DATA LOCAL INFILE", byDefault.loadingNote());
        } else {
            assertTrue(byDefault.loadingNote().endsWith(" KiB (the server's local_infile is OFF)"), byDefault.loadingNote());
        }
        MysqlDestination refused = destination(PLAIN, false);
        refused.check();
        assertTrue(refused.loadingNote().startsWith("mysql destination: loading by multi-row INSERT of up to "), refused.loadingNote());
        assertTrue(refused.loadingNote().endsWith(" KiB (allowLocalInfile=false in parameters)"), refused.loadingNote());
    }

    /**
     * INSERTs go in statements of the batch size, a row too big to join the rows before it goes alone, and
     * values that mean something to SQL or JDBC text stay values, also where the session had turned
     * backslash escapes off.
     */
    @Test
    void insertBatchesSplitAtTheirSizeAndKeepEveryValue() throws Exception {
        String t = "ins_" + UUID.randomUUID().toString().substring(0, 6);
        db.exec("CREATE TABLE `" + db.database + "`." + q(t) + " (seq bigint AUTO_INCREMENT PRIMARY KEY, v text, n bigint, j json)");
        List<String> values = List.of("it's", "\\N", "NULL", "", "{fn now()} {d '2024-01-01'} ? ?", "a\\", "'", "x".repeat(900), "\\'; DROP TABLE x; --");
        io.syncctl.sidecar.destination.TabSeparatedRows rows = new io.syncctl.sidecar.destination.TabSeparatedRows();
        try (var c = db.connect()) {
            try (var st = c.createStatement()) {
                st.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')");
            }
            new LoadMethod(false, "test", 200, 1000).prepare(c); // the INSERT path's literals need backslash escapes
            c.setAutoCommit(false);
            long before = insertStatements(c);
            InsertBatches load = new InsertBatches(c, "INSERT IGNORE INTO " + q(t) + " (v, n, j) VALUES ", 3, 200, 1000);
            rows.target(load::write);
            for (String v : values) {
                rows.field(v);
                rows.field(String.valueOf(v.length()));
                rows.field("{\"v\":" + JSON.writeValueAsString(v) + "}");
                rows.endRow();
                rows.flush(); // one row per write, as a slow connector sends them
            }
            rows.nullField();
            rows.field("not a number");
            rows.nullField();
            rows.endRow();
            rows.flush();
            assertEquals(values.size() + 1, load.finish());
            c.commit();
            // 200 bytes a statement: rows 1-5 (the 5th passes 200), 6-7 (8, 1.8 KB, passes 1000 with them), 8 alone, 9-10
            assertEquals(4, insertStatements(c) - before);
        }
        List<Map<String, String>> got = db.rows("SELECT v, n, j FROM " + q(t) + " ORDER BY seq");
        assertEquals(values.size() + 1, got.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), got.get(i).get("v"));
            assertEquals(String.valueOf(values.get(i).length()), got.get(i).get("n"));
            assertEquals(values.get(i), JSON.readTree(got.get(i).get("j")).get("v").asText());
        }
        Map<String, String> last = new java.util.HashMap<>(got.get(values.size()));
        assertEquals(java.util.Arrays.asList(null, "0", null), java.util.Arrays.asList(last.get("v"), last.get("n"), last.get("j")),
                "NULL stays NULL; a word in a bigint is 0, as LOAD DATA stores it");
    }

    private static long insertStatements(java.sql.Connection c) throws Exception {
        try (var st = c.createStatement(); var rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Com_insert'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private static String check(String config) throws Exception {
        JsonNode c = JSON.readTree(config);
        Exception e = assertThrows(Exception.class, () -> MysqlDestination.from(c, PLAIN, "t").check());
        assertNotNull(e.getMessage());
        return e.getMessage();
    }
}
