package io.syncctl.sidecar.destination.postgres;

import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PostgresTableTest {
    private static final List<SchemaField> FIELDS = List.of(new SchemaField("id", FieldType.INTEGER),
            new SchemaField("Name", FieldType.TEXT), new SchemaField("at", FieldType.TIMESTAMP));

    private static PostgresTable table(String namespace, String name, List<String> pk, boolean sameCase, boolean meta) {
        return new PostgresTable("raw", new DestinationStream(namespace, name, FIELDS, pk, true), sameCase, meta, "task-1");
    }

    @Test
    void namesFollowBulkerAndTheStreamsNamespaceWinsOverTheDefaultSchema() {
        PostgresTable t = table(null, "public.users", List.of(), false, false);
        assertEquals("raw", t.schema);
        assertEquals("public_users", t.table);
        assertEquals("public_users_tmp_" + Identifiers.hash("task-1").substring(0, 8), t.newTable);
        PostgresTable n = table("Src.NS", "Users", List.of(), true, false);
        assertEquals("src_ns", n.schema);
        assertEquals("users", n.table);
        assertEquals("name", n.columns().get(1).name());
    }

    @Test
    void createAppendAndCopyWithoutKey() {
        PostgresTable t = table(null, "users", List.of(), false, true);
        assertEquals("CREATE TABLE \"raw\".\"users\" (\"id\" bigint, \"Name\" text, \"at\" timestamptz, "
                + "\"_syncctl_synced_at\" timestamptz DEFAULT now())", t.createTable("users"));
        assertEquals("COPY \"raw\".\"users\" (\"id\", \"Name\", \"at\") FROM STDIN", t.copy("users"));
        assertEquals("ALTER TABLE \"raw\".\"users\" ADD COLUMN IF NOT EXISTS \"at\" timestamptz; ALTER TABLE \"raw\".\"users\" "
                + "ADD COLUMN IF NOT EXISTS \"_syncctl_synced_at\" timestamptz DEFAULT now()", t.addMissingColumns("users", Set.of("id", "Name")));
        assertNull(t.addMissingColumns("users", Set.of("id", "Name", "at", "_syncctl_synced_at")));
    }

    @Test
    void mergeOnPrimaryKeyThroughTheStagingTable() {
        PostgresTable t = table(null, "users", List.of("id", "tenant"), false, false);
        assertEquals("CREATE TABLE \"raw\".\"users_tmp_x\" (\"id\" bigint, \"Name\" text, \"at\" timestamptz, \"tenant\" text, "
                + "PRIMARY KEY (\"id\", \"tenant\"))", t.createTable("users_tmp_x"));
        assertEquals("CREATE TEMP TABLE IF NOT EXISTS \"_syncctl_stage_users\" (\"id\" bigint, \"Name\" text, \"at\" timestamptz, "
                + "\"tenant\" text, \"_syncctl_seq\" bigserial) ON COMMIT DELETE ROWS", t.createStaging());
        assertEquals("COPY \"_syncctl_stage_users\" (\"id\", \"Name\", \"at\", \"tenant\") FROM STDIN", t.copy("users"));
        assertEquals("DELETE FROM \"raw\".\"users\" t USING \"_syncctl_stage_users\" s WHERE t.\"id\" = s.\"id\" AND t.\"tenant\" = s.\"tenant\"",
                t.mergeDelete("users"));
        assertEquals("INSERT INTO \"raw\".\"users\" (\"id\", \"Name\", \"at\", \"tenant\") SELECT DISTINCT ON (\"id\", \"tenant\") "
                + "\"id\", \"Name\", \"at\", \"tenant\" FROM \"_syncctl_stage_users\" ORDER BY \"id\", \"tenant\", \"_syncctl_seq\" DESC",
                t.mergeInsert("users"));
    }

    @Test
    void swapDropsTheOldTableAndRenamesTheNewOne() {
        PostgresTable t = table(null, "users", List.of(), false, false);
        assertEquals(List.of("DROP TABLE IF EXISTS \"raw\".\"users\"",
                "ALTER TABLE \"raw\".\"" + t.newTable + "\" RENAME TO \"users\""), t.swap());
    }

    @Test
    void newFieldsGetColumnsAndCaseFoldedDuplicatesShareOne() {
        PostgresTable t = table(null, "users", List.of(), true, false);
        PostgresTable.Column late = t.addColumn("Late", FieldType.INTEGER);
        assertEquals(late, t.addColumn("LATE", FieldType.TEXT));
        assertEquals(3, late.index());
        assertEquals("ALTER TABLE \"raw\".\"users\" ADD COLUMN IF NOT EXISTS \"late\" bigint", t.addColumns("users", List.of(late)));
        assertEquals("ALTER TABLE \"_syncctl_stage_users\" ADD COLUMN IF NOT EXISTS \"late\" bigint", t.addColumns(null, List.of(late)));
    }
}
