package io.syncctl.sidecar.destination.postgres;

import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.Database;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.SchemaField;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.record.RecordFields;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stream into one table. A chunk is one transaction holding one COPY:
 * <ul>
 * <li>the first chunk of a replacing stream loads a new table and, at its checkpoint, drops the old table
 * and renames the new one in the same transaction, so readers see the old table or the new one;</li>
 * <li>other chunks load the table itself (append), or, with a primary key, a temporary staging table
 * whose rows then replace the rows of the same key (last one wins) in one statement pair.</li>
 * </ul>
 * Fields the schema did not declare get a column of their inferred type when their first non-null value
 * arrives; the running COPY is ended, the column added, and COPY resumed with it, in the same transaction.
 */
final class PostgresStreamWriter implements StreamWriter {
    private static final String SEQ = "_syncctl_seq";
    static final String META_COLUMN = "_syncctl_synced_at";

    private final Connection conn;
    private final String schema;
    private final String table;
    private final String newTable;
    private final String staging;
    private final boolean toSameCase;
    private final boolean addMeta;
    private final List<String> primaryKey = new ArrayList<>();
    /** Columns in COPY order. */
    private final List<Column> columns = new ArrayList<>();
    /** Field name → its column (several fields may share one after case folding or shortening). */
    private final Map<String, Column> byField = new HashMap<>();
    /** The general path's fields, read from a record's raw data when the caller did not scan it. */
    private final RecordFields ownFields = new RecordFields();
    /** The fields of the record being written. */
    private RecordFields fields;
    private final CopyRows rows = new CopyRows();
    /** Per column of the current row: the index of its field in {@link #fields}, or -1. */
    private int[] slot = new int[0];
    /** Field names of the previous record and, per field, its column index or -1. */
    private String[] lastNames = new String[0];
    private int[] columnOf = new int[0];

    private boolean replacePending;
    private boolean inChunk;
    private boolean stagingCreated;
    private boolean schemaChecked;
    private CopyIn copy;

    /** {@code index} is the column's position in the COPY column list. */
    private record Column(String name, FieldType type, int index) {
    }

    PostgresStreamWriter(Connection conn, String schema, DestinationStream stream, ReadOptions options, String taskId) {
        this.conn = conn;
        this.schema = schema;
        this.toSameCase = options.toSameCase();
        this.addMeta = options.addMeta();
        this.table = Identifiers.fit(stream.tableName(), toSameCase);
        this.newTable = Identifiers.fit(table + "_tmp_" + Identifiers.hash(taskId).substring(0, 8), false);
        this.staging = Identifiers.fit("_syncctl_stage_" + table, false);
        this.replacePending = stream.replace();
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

    @Override
    public void write(AirbyteMessage.Record record) throws Exception {
        write(record, null);
    }

    @Override
    public void write(AirbyteMessage.Record record, RecordFields scanned) throws Exception {
        fields = scanned != null ? scanned : ownFields.read(record.data());
        beginChunk();
        mapFields();
        List<Column> added = null;
        for (int i = 0; i < fields.size(); i++) {
            if (columnOf[i] < 0 && fields.token(i) != JsonToken.VALUE_NULL) {
                if (added == null) {
                    added = new ArrayList<>();
                }
                added.add(addColumn(fields.name(i), FieldType.ofValue(fields.token(i))));
            }
        }
        if (added != null) {
            alterColumns(added);
            lastNames = new String[0];
            mapFields();
        }
        writeRow();
    }

    /**
     * Column of each field of the current record. Records of a stream almost always have the same
     * fields in the same order, and Jackson hands out the same String instance for the same name, so
     * the previous record's mapping is reused after an identity check instead of a map lookup per field.
     */
    private void mapFields() {
        int n = fields.size();
        boolean same = n == lastNames.length;
        for (int i = 0; same && i < n; i++) {
            same = fields.name(i) == lastNames[i];
        }
        if (same) {
            return;
        }
        lastNames = new String[n];
        columnOf = new int[n];
        for (int i = 0; i < n; i++) {
            lastNames[i] = fields.name(i);
            Column c = byField.get(fields.name(i));
            columnOf[i] = c == null ? -1 : c.index();
        }
    }

    private void writeRow() throws SQLException {
        int n = columns.size();
        if (slot.length < n) {
            slot = new int[n * 2];
        }
        Arrays.fill(slot, 0, n, -1);
        for (int i = 0; i < fields.size(); i++) {
            if (columnOf[i] >= 0) {
                slot[columnOf[i]] = i;
            }
        }
        for (int k = 0; k < n; k++) {
            int i = slot[k];
            FieldType type = columns.get(k).type();
            if (i < 0 || fields.token(i) == JsonToken.VALUE_NULL
                    // connectors often send "" for a missing date or number: that is NULL, not a COPY error
                    || (fields.isEmptyString(i) && type != FieldType.TEXT && type != FieldType.JSON)) {
                rows.nullField();
            } else {
                rows.value(fields, i, type == FieldType.JSON);
            }
        }
        rows.endRow();
    }

    @Override
    public void checkpoint() throws Exception {
        if (!inChunk) {
            if (!replacePending) {
                return;
            }
            beginChunk(); // an empty replacing chunk still replaces the table
        }
        endCopy();
        String target = replacePending ? newTable : table;
        if (merging()) {
            merge(target);
        }
        if (replacePending) {
            exec("DROP TABLE IF EXISTS " + Identifiers.qualified(schema, table));
            exec("ALTER TABLE " + Identifiers.qualified(schema, newTable) + " RENAME TO " + Identifiers.quote(table));
        }
        conn.commit();
        inChunk = false;
        replacePending = false;
    }

    @Override
    public void complete() throws Exception {
        try {
            checkpoint();
        } finally {
            Database.closeQuietly(conn);
        }
    }

    @Override
    public void abort() {
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the rollback below discards it anyway
        }
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // closing the connection rolls back too
        }
        Database.closeQuietly(conn);
    }

    private boolean merging() {
        return !primaryKey.isEmpty();
    }

    private void beginChunk() throws SQLException {
        if (inChunk) {
            return;
        }
        if (!schemaChecked) {
            createSchemaIfMissing();
            schemaChecked = true;
        }
        if (replacePending) {
            exec("DROP TABLE IF EXISTS " + Identifiers.qualified(schema, newTable));
            createTable(newTable);
        } else {
            Set<String> existing = existingColumns(table);
            if (existing.isEmpty()) {
                createTable(table);
            } else {
                List<Column> missing = new ArrayList<>();
                for (Column c : columns) {
                    if (!existing.contains(c.name())) {
                        missing.add(c);
                    }
                }
                addColumns(table, missing);
                if (addMeta && !existing.contains(META_COLUMN)) {
                    exec("ALTER TABLE " + Identifiers.qualified(schema, table) + " ADD COLUMN IF NOT EXISTS "
                            + Identifiers.quote(META_COLUMN) + " timestamptz DEFAULT now()");
                }
            }
        }
        if (merging() && !stagingCreated) {
            StringBuilder sql = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS ").append(Identifiers.quote(staging)).append(" (");
            for (Column c : columns) {
                sql.append(Identifiers.quote(c.name())).append(' ').append(sqlType(c.type())).append(", ");
            }
            sql.append(Identifiers.quote(SEQ)).append(" bigserial) ON COMMIT DELETE ROWS");
            exec(sql.toString());
            stagingCreated = true;
        }
        startCopy();
        inChunk = true;
    }

    /** Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists. */
    private void createSchemaIfMissing() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        // Its own transaction, committed at once (nothing else is in it: this runs before the first chunk),
        // so concurrent reads into the same new schema wait microseconds, not until our first checkpoint.
        // IF NOT EXISTS is not race-free: a writer that loses the race gets a unique violation, and the
        // schema it wanted exists.
        try {
            exec("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private void createTable(String name) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(Identifiers.qualified(schema, name)).append(" (");
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
        exec(sql.append(')').toString());
    }

    private Set<String> existingColumns(String name) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement("""
                SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped""")) {
            ps.setString(1, Identifiers.qualified(schema, name));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** New fields in the middle of a chunk: end the COPY, add the columns, resume. */
    private void alterColumns(List<Column> added) throws SQLException {
        endCopy();
        addColumns(replacePending ? newTable : table, added);
        if (merging() && stagingCreated) {
            addColumns(null, added);
        }
        startCopy();
    }

    private void addColumns(String tableName, List<Column> added) throws SQLException {
        if (added.isEmpty()) {
            return;
        }
        String target = tableName == null ? Identifiers.quote(staging) : Identifiers.qualified(schema, tableName);
        StringBuilder sql = new StringBuilder("ALTER TABLE ").append(target);
        String sep = " ";
        for (Column c : added) {
            sql.append(sep).append("ADD COLUMN IF NOT EXISTS ").append(Identifiers.quote(c.name())).append(' ')
                    .append(sqlType(c.type()));
            sep = ", ";
        }
        exec(sql.toString());
    }

    private void startCopy() throws SQLException {
        String target = merging() ? Identifiers.quote(staging)
                : Identifiers.qualified(schema, replacePending ? newTable : table);
        copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY " + target + " (" + quotedList(columnNames()) + ") FROM STDIN");
        rows.target(copy);
    }

    private void endCopy() throws SQLException {
        if (copy != null && copy.isActive()) {
            rows.flush();
            copy.endCopy();
        }
        copy = null;
    }

    private void merge(String target) throws SQLException {
        String t = Identifiers.qualified(schema, target);
        String s = Identifiers.quote(staging);
        StringBuilder match = new StringBuilder();
        for (String pk : primaryKey) {
            match.append(match.isEmpty() ? "" : " AND ").append("t.").append(Identifiers.quote(pk))
                    .append(" = s.").append(Identifiers.quote(pk));
        }
        exec("DELETE FROM " + t + " t USING " + s + " s WHERE " + match);
        String cols = quotedList(columnNames());
        String pks = quotedList(primaryKey);
        exec("INSERT INTO " + t + " (" + cols + ") SELECT DISTINCT ON (" + pks + ") " + cols + " FROM " + s
                + " ORDER BY " + pks + ", " + Identifiers.quote(SEQ) + " DESC");
    }

    private Column addColumn(String field, FieldType type) {
        String name = Identifiers.fit(field, toSameCase);
        Column c = columns.stream().filter(other -> other.name().equals(name)).findFirst().orElse(null);
        if (c == null) {
            c = new Column(name, type, columns.size());
            columns.add(c);
        }
        byField.put(field, c);
        return c;
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

    private void exec(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
