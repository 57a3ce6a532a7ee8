package io.syncctl.sidecar.destination.mysql;

import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pure parts of the mysql destination: identifiers, table SQL, value conversions. */
class MysqlShapeTest {

    @Test
    void identifiersAreAdaptedAsBulkerAdaptsThemPlusTheServersRules() {
        assertEquals("public_users", Identifiers.adapt("public.users", "table", false));
        assertEquals("Odd _Name_ x", Identifiers.adapt("Odd \"Name\" x", "column", false));
        assertEquals("mixed case", Identifiers.adapt("Mixed Case", "column", true));
        assertEquals("_unnamed", Identifiers.adapt("", "column", false));
        assertEquals("ünïcödé_名前$-", Identifiers.adapt("ünïcödé.名前$-", "column", false));
        assertEquals("column_" + Identifiers.hash("%%"), Identifiers.adapt("%%", "column", false));
        assertEquals("a_", Identifiers.adapt("a\uD835\uDC9C", "column", false), "letters beyond the BMP are not allowed in identifiers");
        assertEquals("trailing__", Identifiers.adapt("trailing  ", "column", false), "names cannot end with a space");
        String long1 = "x".repeat(70) + "1";
        String long2 = "x".repeat(70) + "2";
        assertEquals(63, Identifiers.adapt(long1, "column", false).length());
        assertNotEquals(Identifiers.adapt(long1, "column", false), Identifiers.adapt(long2, "column", false));
        assertEquals("x".repeat(63), Identifiers.adapt("x".repeat(63), "column", false));
        assertEquals("`a``b`", Identifiers.quote("a`b"));
    }

    private static MysqlTable table(boolean replace, List<String> pk, boolean addMeta) {
        return new MysqlTable("warehouse", new DestinationStream(null, "users", List.of(new SchemaField("id", FieldType.INTEGER),
                new SchemaField("name", FieldType.TEXT), new SchemaField("at", FieldType.TIMESTAMP), new SchemaField("Name", FieldType.JSON)),
                pk, replace), false, addMeta, "task-1");
    }

    @Test
    void aReplacementWithoutAKeyLoadsItsNewTableAndSwapsItInWithOneRename() {
        MysqlTable t = table(true, List.of(), true);
        String h = Identifiers.hash("task-1");
        assertEquals("users_tmp_" + h, t.newTable);
        assertEquals("CREATE TABLE `warehouse`.`users_tmp_" + h + "` (`id` bigint, `name` text, `at` timestamp(6) NULL,"
                + " `_jitsu_timestamp` timestamp(6) NULL DEFAULT CURRENT_TIMESTAMP(6)) DEFAULT CHARSET=utf8mb4", t.createTable(t.newTable));
        assertEquals("LOAD DATA LOCAL INFILE 'syncctl-stream' INTO TABLE `warehouse`.`users_tmp_" + h + "` CHARACTER SET utf8mb4"
                + " (`id`, `name`, `at`)", t.load(t.newTable), "Name and name share a column: MySQL column names ignore case");
        assertEquals("INSERT IGNORE INTO `warehouse`.`users_tmp_" + h + "` (`id`, `name`, `at`) VALUES ", t.insert(t.newTable),
                "the INSERT path loads the same table and columns");
        assertEquals(List.of("DROP TABLE IF EXISTS `warehouse`.`users_old_" + h + "`",
                "RENAME TABLE `warehouse`.`users` TO `warehouse`.`users_old_" + h + "`, `warehouse`.`users_tmp_" + h + "` TO `warehouse`.`users`",
                "DROP TABLE IF EXISTS `warehouse`.`users_old_" + h + "`"), t.swap(true));
        assertEquals(List.of("RENAME TABLE `warehouse`.`users_tmp_" + h + "` TO `warehouse`.`users`"), t.swap(false));
    }

    @Test
    void appendingWithAKeyStagesAndMergesInLoadOrder() {
        MysqlTable t = table(false, List.of("name"), false);
        assertEquals("CREATE TABLE `warehouse`.`users` (`id` bigint, `name` varchar(255), `at` timestamp(6) NULL,"
                + " PRIMARY KEY (`name`)) DEFAULT CHARSET=utf8mb4", t.createTable(t.table));
        assertEquals("CREATE TEMPORARY TABLE IF NOT EXISTS `_syncctl_stage_users` (`id` bigint, `name` text, `at` timestamp(6) NULL,"
                + " `_syncctl_seq` bigint AUTO_INCREMENT PRIMARY KEY) DEFAULT CHARSET=utf8mb4", t.createStaging());
        assertEquals("LOAD DATA LOCAL INFILE 'syncctl-stream' INTO TABLE `_syncctl_stage_users` CHARACTER SET utf8mb4 (`id`, `name`, `at`)",
                t.load(t.table));
        assertEquals("INSERT IGNORE INTO `_syncctl_stage_users` (`id`, `name`, `at`) VALUES ", t.insert(t.table));
        assertEquals("INSERT INTO `warehouse`.`users` (`id`, `name`, `at`) SELECT `id`, `name`, `at` FROM `_syncctl_stage_users`"
                + " ORDER BY `_syncctl_seq` ON DUPLICATE KEY UPDATE `id` = VALUES(`id`), `name` = VALUES(`name`), `at` = VALUES(`at`)",
                t.fromStaging(t.table));
        MysqlTable plain = table(false, List.of(), false);
        assertEquals("INSERT INTO `warehouse`.`users` (`id`, `name`, `at`) SELECT `id`, `name`, `at` FROM `_syncctl_stage_users`"
                + " ORDER BY `_syncctl_seq`", plain.fromStaging(plain.table));
    }

    @Test
    void existingTablesGetTheirMissingColumnsInAnyCase() {
        MysqlTable t = table(false, List.of(), true);
        assertEquals("ALTER TABLE `warehouse`.`users` ADD COLUMN `at` timestamp(6) NULL, ADD COLUMN `_jitsu_timestamp` timestamp(6) NULL"
                + " DEFAULT CURRENT_TIMESTAMP(6)", t.addMissingColumns(t.table, Set.of("ID", "Name")));
        assertNull(t.addMissingColumns(t.table, Set.of("id", "name", "at", "_jitsu_timestamp")));
        MysqlTable.Column c = t.addColumn("late.field", FieldType.BOOLEAN);
        assertEquals("ALTER TABLE `_syncctl_stage_users` ADD COLUMN `late_field` boolean", t.addColumns(null, List.of(c)));
    }

    private static String ts(String in) {
        byte[] out = new byte[32];
        byte[] b = in.getBytes(StandardCharsets.UTF_8);
        int n = MysqlValues.timestamp(b, 0, b.length, out);
        return n < 0 ? null : new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void timestampsBecomeUtcTextOrNull() {
        assertEquals("2024-01-02 10:30:00.123456", ts("2024-01-02T12:30:00.1234567+02:00"));
        assertEquals("2024-01-02 12:30:00", ts("2024-01-02T12:30:00Z"));
        assertEquals("2024-01-02 12:30:00", ts("2024-01-02 12:30"));
        assertEquals("2024-01-02 00:00:00", ts("2024-01-02"));
        assertEquals("2024-01-01 23:00:00", ts("2024-01-02T00:00:00+0100"));
        assertEquals("2024-01-02 05:30:00.5", ts("2024-01-02T00:00:00.5-05:30").substring(0, 21));
        assertNull(ts("1969-12-31T23:59:59Z"), "before TIMESTAMP's range");
        assertNull(ts("2038-01-19T03:14:08Z"), "after TIMESTAMP's range");
        assertEquals("2038-01-19 03:14:07", ts("2038-01-19T03:14:07Z"));
        for (String bad : List.of("", "yesterday", "2024-13-01", "2024-02-30", "2024-01-02T", "2024-01-02T10:00:00+", "2024-01-02X", "2024-01-02T10:00:00Zz")) {
            assertNull(ts(bad), bad);
        }
    }

    @Test
    void booleanWords() {
        for (String t : List.of("true", "TRUE", "t", "yes", "1", "on")) {
            assertEquals(1, MysqlValues.bool(t.getBytes(StandardCharsets.US_ASCII), 0, t.length()), t);
        }
        for (String f : List.of("false", "F", "no", "0", "off")) {
            assertEquals(0, MysqlValues.bool(f.getBytes(StandardCharsets.US_ASCII), 0, f.length()), f);
        }
        assertEquals(-1, MysqlValues.bool("maybe".getBytes(StandardCharsets.US_ASCII), 0, 5));
    }
}
