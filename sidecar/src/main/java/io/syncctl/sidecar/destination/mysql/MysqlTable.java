package io.syncctl.sidecar.destination.mysql;

import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape of one stream's MySQL table and every SQL text the writer runs on it: pure, so it is tested
 * as strings. Column types as Bulker's MySQL adapter makes them ({@link #sqlType}).
 * <ul>
 * <li>replace without a primary key: rows load {@link #newTable} directly (created by the first chunk,
 * committed at checkpoints), which {@link #swap} renames in place of the table with one
 * {@code RENAME TABLE} at the stream's end;</li>
 * <li>otherwise rows load the session's temporary {@link #staging} table, and each checkpoint copies it
 * into the target in one transaction ({@link #fromStaging}): appended, or merged on the primary key with
 * {@code INSERT ... ON DUPLICATE KEY UPDATE} in load order, so the last of duplicate keys wins. MySQL
 * commits implicitly on DDL (a column added mid-chunk), so only the private staging table may hold a
 * chunk that is not yet a checkpoint.</li>
 * </ul>
 * Column names are case-insensitive in MySQL: fields that differ only in case share a column. Columns only
 * grow: a field the schema did not declare gets a column when its first value arrives.
 */
final class MysqlTable {
    static final String SEQ = "_syncctl_seq";
    /** The Go sidecar's meta field with {@code addMeta}; here the time each row was loaded. */
    static final String META_COLUMN = "_jitsu_timestamp";
    private static final String CHARSET = " DEFAULT CHARSET=utf8mb4";

    /** {@code index} is the column's position in the LOAD DATA (or INSERT) column list. */
    record Column(String name, FieldType type, int index) {
    }

    final String database;
    final String table;
    final String newTable;
    final String oldTable;
    final String staging;
    private final boolean replace;
    private final boolean toSameCase;
    private final boolean addMeta;
    private final List<String> primaryKey = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    /** Field name → its column (several fields may share one). */
    private final Map<String, Column> byField = new HashMap<>();
    /** Lower-cased column name → column. */
    private final Map<String, Column> byName = new HashMap<>();

    /** @param defaultDatabase the configured database, for streams without a namespace */
    MysqlTable(String defaultDatabase, DestinationStream stream, boolean toSameCase, boolean addMeta, String taskId) {
        this.replace = stream.replace();
        this.toSameCase = toSameCase;
        this.addMeta = addMeta;
        this.database = stream.namespace() == null ? defaultDatabase : Identifiers.adapt(stream.namespace(), "table", toSameCase);
        this.table = Identifiers.adapt(stream.tableName(), "table", toSameCase);
        String id = Identifiers.hash(taskId);
        this.newTable = Identifiers.fit(table + "_tmp_" + id);
        this.oldTable = Identifiers.fit(table + "_old_" + id);
        this.staging = Identifiers.fit("_syncctl_stage_" + table);
        for (SchemaField f : stream.fields()) {
            addColumn(f.name(), f.type());
        }
        for (String pk : stream.primaryKey()) {
            Column c = byField.get(pk);
            if (c == null) {
                c = addColumn(pk, FieldType.TEXT);
            }
            if (!primaryKey.contains(c.name())) {
                primaryKey.add(c.name());
            }
        }
    }

    boolean merging() {
        return !primaryKey.isEmpty();
    }

    /** Whether chunks load the staging table (else the new table directly). */
    boolean staged() {
        return merging() || !replace;
    }

    List<Column> columns() {
        return columns;
    }

    /** The column of a field, or null when it has none yet. */
    Column column(String field) {
        return byField.get(field);
    }

    /** The column of a new field (an existing one when its adapted name is taken, in any case). */
    Column addColumn(String field, FieldType type) {
        String name = Identifiers.adapt(field, "column", toSameCase);
        String key = name.toLowerCase(Locale.ROOT);
        Column c = byName.get(key);
        if (c == null) {
            c = new Column(name, type, columns.size());
            columns.add(c);
            byName.put(key, c);
        }
        byField.put(field, c);
        return c;
    }

    // ---- SQL ------------------------------------------------------------------------------------

    /** Whether a database exists: CREATE DATABASE IF NOT EXISTS needs the CREATE privilege even when it does. */
    static String databaseExists() {
        return "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?";
    }

    String createDatabase() {
        return "CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database) + " CHARACTER SET utf8mb4";
    }

    /** Parameters: database, table. */
    static String tableExists() {
        return "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?";
    }

    /** The existing columns of a table; parameters: database, table. */
    static String existingColumns() {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?";
    }

    String qualified(String name) {
        return Identifiers.qualified(database, name);
    }

    String createTable(String name) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualified(name)).append(" (");
        String sep = "";
        for (Column c : columns) {
            sql.append(sep).append(Identifiers.quote(c.name())).append(' ')
                    .append(sqlType(c.type(), primaryKey.contains(c.name())));
            sep = ", ";
        }
        if (addMeta) {
            sql.append(sep).append(metaColumn());
            sep = ", ";
        }
        if (merging()) {
            sql.append(sep).append("PRIMARY KEY (").append(quotedList(primaryKey)).append(')');
        }
        return sql.append(')').append(CHARSET).toString();
    }

    String dropTable(String name) {
        return "DROP TABLE IF EXISTS " + qualified(name);
    }

    /**
     * Columns of an existing table that it lacks ({@code existing}: its column names), as one ALTER, or
     * null. MySQL 8 has no {@code ADD COLUMN IF NOT EXISTS}: the caller read the existing ones first.
     */
    String addMissingColumns(String name, Set<String> existing) {
        Set<String> lower = new java.util.HashSet<>();
        existing.forEach(e -> lower.add(e.toLowerCase(Locale.ROOT)));
        List<Column> missing = new ArrayList<>();
        for (Column c : columns) {
            if (!lower.contains(c.name().toLowerCase(Locale.ROOT))) {
                missing.add(c);
            }
        }
        List<String> clauses = new ArrayList<>();
        for (Column c : missing) {
            clauses.add("ADD COLUMN " + Identifiers.quote(c.name()) + " " + sqlType(c.type(), false));
        }
        if (addMeta && !lower.contains(META_COLUMN)) {
            clauses.add("ADD COLUMN " + metaColumn());
        }
        return clauses.isEmpty() ? null : "ALTER TABLE " + qualified(name) + " " + String.join(", ", clauses);
    }

    /** {@code ALTER TABLE} adding {@code added} to a table ({@code name} null: the staging table), or null when none. */
    String addColumns(String name, List<Column> added) {
        if (added.isEmpty()) {
            return null;
        }
        StringBuilder sql = new StringBuilder("ALTER TABLE ").append(name == null ? Identifiers.quote(staging) : qualified(name));
        String sep = " ";
        for (Column c : added) {
            sql.append(sep).append("ADD COLUMN ").append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type(), false));
            sep = ", ";
        }
        return sql.toString();
    }

    /**
     * The session's staging table (in the connection's database): no key, so every row of a chunk is kept,
     * and a sequence giving the load order.
     */
    String createStaging() {
        StringBuilder sql = new StringBuilder("CREATE TEMPORARY TABLE IF NOT EXISTS ").append(Identifiers.quote(staging)).append(" (");
        for (Column c : columns) {
            sql.append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type(), false)).append(", ");
        }
        return sql.append(Identifiers.quote(SEQ)).append(" bigint AUTO_INCREMENT PRIMARY KEY)").append(CHARSET).toString();
    }

    /**
     * {@code LOAD DATA} of the chunk's rows (the staging table, or {@code target} directly). The format is
     * LOAD DATA's default (tab-separated, backslash escapes, {@code \N} for NULL), which
     * {@link io.syncctl.sidecar.destination.TabSeparatedRows} writes; the file name is a label, the
     * driver sends the stream it was given.
     */
    String load(String target) {
        return "LOAD DATA LOCAL INFILE 'syncctl-stream' INTO TABLE " + loaded(target) + " CHARACTER SET utf8mb4 ("
                + quotedList(columnNames()) + ")";
    }

    /**
     * The head of a multi-row INSERT of the chunk's rows, where {@code LOAD DATA} is not allowed: the same
     * table and columns as {@link #load}; {@link InsertBatches} appends the rows.
     */
    String insert(String target) {
        return "INSERT IGNORE INTO " + loaded(target) + " (" + quotedList(columnNames()) + ") VALUES ";
    }

    private String loaded(String target) {
        return staged() ? Identifiers.quote(staging) : qualified(target);
    }

    /**
     * The staging table's rows into {@code target} in load order: appended, or merged on the primary key
     * (a later row of the same key updates the earlier one, so the last wins).
     */
    String fromStaging(String target) {
        String cols = quotedList(columnNames());
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(qualified(target)).append(" (").append(cols)
                .append(") SELECT ").append(cols).append(" FROM ").append(Identifiers.quote(staging))
                .append(" ORDER BY ").append(Identifiers.quote(SEQ));
        if (merging()) {
            sql.append(" ON DUPLICATE KEY UPDATE ");
            String sep = "";
            for (String c : columnNames()) {
                sql.append(sep).append(Identifiers.quote(c)).append(" = VALUES(").append(Identifiers.quote(c)).append(')');
                sep = ", ";
            }
            if (addMeta) {
                sql.append(", ").append(Identifiers.quote(META_COLUMN)).append(" = CURRENT_TIMESTAMP(6)");
            }
        }
        return sql.toString();
    }

    String clearStaging() {
        return "DELETE FROM " + Identifiers.quote(staging);
    }

    /**
     * The new table in place of the table: one {@code RENAME TABLE} is atomic, so readers see the old table
     * or the new one, never none; the old one is dropped after.
     */
    List<String> swap(boolean tableExists) {
        if (!tableExists) {
            return List.of("RENAME TABLE " + qualified(newTable) + " TO " + qualified(table));
        }
        return List.of(dropTable(oldTable),
                "RENAME TABLE " + qualified(table) + " TO " + qualified(oldTable) + ", " + qualified(newTable) + " TO " + qualified(table),
                dropTable(oldTable));
    }

    private String metaColumn() {
        return Identifiers.quote(META_COLUMN) + " timestamp(6) NULL DEFAULT CURRENT_TIMESTAMP(6)";
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

    /**
     * Bulker's MySQL types; a text primary key is {@code varchar(255)} (MySQL cannot index a whole text).
     * Timestamps are declared {@code NULL} so that servers without {@code explicit_defaults_for_timestamp}
     * (MariaDB before 10.10) do not make them {@code NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE ...}.
     */
    static String sqlType(FieldType t, boolean primaryKey) {
        return switch (t) {
            case TEXT -> primaryKey ? "varchar(255)" : "text";
            case TIMESTAMP -> primaryKey ? "timestamp(6)" : "timestamp(6) NULL"; // a key part is NOT NULL
            case INTEGER -> "bigint";
            case NUMBER -> "double";
            case BOOLEAN -> "boolean";
            case JSON -> "json";
        };
    }
}
