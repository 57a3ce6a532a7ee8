package io.syncctl.sidecar.destination.postgres;

import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of one stream's table and every SQL text the writer runs on it: pure, so it is tested as
 * strings. Names are already adapted ({@link Identifiers}); every identifier is quoted.
 * <ul>
 * <li>replace: rows load {@link #newTable} (created by the first chunk, kept across checkpoints), which
 * {@link #swap()} puts in place of the table in one transaction at the stream's end;</li>
 * <li>append: rows load the table itself;</li>
 * <li>with a primary key, rows load the temporary {@link #staging} table, and {@link #mergeDelete} /
 * {@link #mergeInsert} replace the target's rows of the same key (the last of duplicate keys wins).</li>
 * </ul>
 * Columns only grow: a field the schema did not declare gets a column when its first value arrives.
 */
final class PostgresTable {
    static final String SEQ = "_syncctl_seq";
    static final String META_COLUMN = "_syncctl_synced_at";

    /** {@code index} is the column's position in the COPY column list. */
    record Column(String name, FieldType type, int index) {
    }

    final String schema;
    final String table;
    final String newTable;
    final String staging;
    private final boolean toSameCase;
    private final boolean addMeta;
    private final List<String> primaryKey = new ArrayList<>();
    /** Columns in COPY order. */
    private final List<Column> columns = new ArrayList<>();
    /** Field name → its column (several fields may share one after case folding or shortening). */
    private final Map<String, Column> byField = new HashMap<>();

    /** @param defaultSchema the destination's schema for streams without a namespace */
    PostgresTable(String defaultSchema, DestinationStream stream, boolean toSameCase, boolean addMeta, String taskId) {
        this.toSameCase = toSameCase;
        this.addMeta = addMeta;
        this.schema = stream.namespace() == null ? defaultSchema : Identifiers.table(stream.namespace(), toSameCase);
        this.table = Identifiers.table(stream.tableName(), toSameCase);
        this.newTable = Identifiers.fit(table + "_tmp_" + Identifiers.hash(taskId).substring(0, 8), false);
        this.staging = Identifiers.fit("_syncctl_stage_" + table, false);
        for (SchemaField f : stream.fields()) {
            addColumn(f.name(), f.type());
        }
        for (String pk : stream.primaryKey()) {
            Column c = byField.get(pk);
            if (c == null) {
                c = addColumn(pk, FieldType.TEXT);
            }
            primaryKey.add(c.name());
        }
    }

    boolean merging() {
        return !primaryKey.isEmpty();
    }

    boolean addMeta() {
        return addMeta;
    }

    List<Column> columns() {
        return columns;
    }

    /** The column of a field, or null when it has none yet. */
    Column column(String field) {
        return byField.get(field);
    }

    /** The column of a new field (an existing one when its adapted name is taken). */
    Column addColumn(String field, FieldType type) {
        String name = Identifiers.fit(field, toSameCase);
        Column c = null;
        for (Column other : columns) {
            if (other.name().equals(name)) {
                c = other;
                break;
            }
        }
        if (c == null) {
            c = new Column(name, type, columns.size());
            columns.add(c);
        }
        byField.put(field, c);
        return c;
    }

    // ---- SQL ------------------------------------------------------------------------------------

    /** Whether the schema exists: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it does. */
    static String schemaExists() {
        return "SELECT 1 FROM pg_namespace WHERE nspname = ?";
    }

    String createSchema() {
        return "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema);
    }

    /** The existing columns of a table, by its {@link #qualified} name as parameter. */
    static String existingColumns() {
        return "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped";
    }

    String qualified(String name) {
        return Identifiers.qualified(schema, name);
    }

    String createTable(String name) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualified(name)).append(" (");
        String sep = "";
        for (Column c : columns) {
            sql.append(sep).append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type()));
            sep = ", ";
        }
        if (addMeta) {
            sql.append(sep).append(Identifiers.quote(META_COLUMN)).append(" timestamptz DEFAULT now()");
            sep = ", ";
        }
        if (merging()) {
            sql.append(sep).append("PRIMARY KEY (").append(quotedList(primaryKey)).append(')');
        }
        return sql.append(')').toString();
    }

    String dropTable(String name) {
        return "DROP TABLE IF EXISTS " + qualified(name);
    }

    /** Columns of an existing table that it lacks ({@code existing}: its column names), as one ALTER, or null. */
    String addMissingColumns(String name, java.util.Set<String> existing) {
        List<Column> missing = new ArrayList<>();
        for (Column c : columns) {
            if (!existing.contains(c.name())) {
                missing.add(c);
            }
        }
        StringBuilder sql = new StringBuilder();
        String alter = addColumns(name, missing);
        if (alter != null) {
            sql.append(alter);
        }
        if (addMeta && !existing.contains(META_COLUMN)) {
            sql.append(sql.isEmpty() ? "" : "; ").append("ALTER TABLE ").append(qualified(name))
                    .append(" ADD COLUMN IF NOT EXISTS ").append(Identifiers.quote(META_COLUMN)).append(" timestamptz DEFAULT now()");
        }
        return sql.isEmpty() ? null : sql.toString();
    }

    /** {@code ALTER TABLE} adding {@code added} to a table ({@code name} null: the staging table), or null when none. */
    String addColumns(String name, List<Column> added) {
        if (added.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("ALTER TABLE ").append(name == null ? Identifiers.quote(staging) : qualified(name));
        String sep = " ";
        for (Column c : added) {
            sql.append(sep).append("ADD COLUMN IF NOT EXISTS ").append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type()));
            sep = ", ";
        }
        return sql.toString();
    }

    String createStaging() {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS ").append(Identifiers.quote(staging)).append(" (");
        for (Column c : columns) {
            sql.append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type())).append(", ");
        }
        return sql.append(Identifiers.quote(SEQ)).append(" bigserial) ON COMMIT DELETE ROWS").toString();
    }

    /** COPY into the staging table when merging, else straight into {@code target}. */
    String copy(String target) {
        String into = merging() ? Identifiers.quote(staging) : qualified(target);
        return "COPY " + into + " (" + quotedList(columnNames()) + ") FROM STDIN";
    }

    String mergeDelete(String target) {
        StringBuilder match = new StringBuilder();
        for (String pk : primaryKey) {
            match.append(match.isEmpty() ? "" : " AND ").append("t.").append(Identifiers.quote(pk))
                    .append(" = s.").append(Identifiers.quote(pk));
        }
        return "DELETE FROM " + qualified(target) + " t USING " + Identifiers.quote(staging) + " s WHERE " + match;
    }

    String mergeInsert(String target) {
        String cols = quotedList(columnNames());
        String pks = quotedList(primaryKey);
        return "INSERT INTO " + qualified(target) + " (" + cols + ") SELECT DISTINCT ON (" + pks + ") " + cols + " FROM "
                + Identifiers.quote(staging) + " ORDER BY " + pks + ", " + Identifiers.quote(SEQ) + " DESC";
    }

    /** The replacement in place of the table; run in one transaction, so readers see the old table or the new one. */
    List<String> swap() {
        return List.of(dropTable(table), "ALTER TABLE " + qualified(newTable) + " RENAME TO " + Identifiers.quote(table));
    }

    private List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    private static String quotedList(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.isEmpty() ? "" : ", ").append(Identifiers.quote(n));
        }
        return sb.toString();
    }

    static String sqlType(FieldType t) {
        return switch (t) {
            case TEXT -> "text";
            case TIMESTAMP -> "timestamptz";
            case INTEGER -> "bigint";
            case NUMBER -> "double precision";
            case BOOLEAN -> "boolean";
            case JSON -> "jsonb";
        };
    }
}
