package io.syncctl.sidecar.destination.mysql;

import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.Database;
import io.syncctl.sidecar.destination.FieldColumns;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.destination.TabSeparatedRows;
import io.syncctl.sidecar.destination.mysql.MysqlTable.Column;
import io.syncctl.sidecar.record.RecordFields;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One stream into one MySQL table, over its own connection: the I/O of {@link MysqlTable}'s SQL. A chunk
 * is one {@link RowLoad} ({@code LOAD DATA} or batched INSERTs, as {@link LoadMethod} decided) taking rows
 * while the connector sends them; appending, a checkpoint ends
 * it, copies the staging table into the target and commits. A replacing stream loads its new table in
 * one statement across checkpoints, and {@link #complete()} renames it in place of the table;
 * {@link #abort()} drops it, leaving the old table whole. Fields the schema did not declare get a column when their first
 * non-null value arrives: the running load is ended, the column added, and loading resumes.
 */
final class MysqlStreamWriter implements StreamWriter {
    private static final byte[] TRUE = {'1'};
    private static final byte[] FALSE = {'0'};

    private final Connection conn;
    private final MysqlTable shape;
    private final LoadMethod method;
    private final RecordFields ownFields = new RecordFields();
    private RecordFields fields;
    private final TabSeparatedRows rows = new TabSeparatedRows();
    private final FieldColumns mapping = new FieldColumns();
    private final FieldColumns.Lookup columnIndex;
    private final byte[] timestamp = new byte[32];

    /** Still loading the new table that {@link #complete()} swaps in. */
    private boolean replacing;
    private boolean newTableCreated;
    private boolean inChunk;
    private boolean stagingCreated;
    private boolean databaseChecked;
    private RowLoad load;

    MysqlStreamWriter(Connection conn, MysqlTable shape, LoadMethod method, boolean replace) {
        this.conn = conn;
        this.shape = shape;
        this.method = method;
        this.replacing = replace;
        this.columnIndex = name -> {
            Column c = shape.column(name);
            return c == null ? -1 : c.index();
        };
    }

    @Override
    public void write(AirbyteMessage.Record record) throws Exception {
        write(record, null);
    }

    @Override
    public void write(AirbyteMessage.Record record, RecordFields scanned) throws Exception {
        fields = scanned != null ? scanned : ownFields.read(record.data());
        beginChunk();
        mapping.map(fields, columnIndex);
        int before = shape.columns().size();
        boolean unmapped = false;
        for (int i = 0; i < fields.size(); i++) {
            if (mapping.columnOf(i) < 0 && fields.token(i) != JsonToken.VALUE_NULL) {
                shape.addColumn(fields.name(i), FieldType.ofValue(fields.token(i)));
                unmapped = true;
            }
        }
        if (unmapped) {
            // new columns, or fields sharing a column with another field of the same name in another case
            List<Column> added = List.copyOf(shape.columns().subList(before, shape.columns().size()));
            if (!added.isEmpty()) {
                alterColumns(added);
            }
            mapping.reset();
            mapping.map(fields, columnIndex);
        }
        writeRow();
    }

    private void writeRow() throws Exception {
        List<Column> columns = shape.columns();
        int n = columns.size();
        int[] slot = mapping.slots(fields, n);
        for (int k = 0; k < n; k++) {
            int i = slot[k];
            if (i < 0 || fields.token(i) == JsonToken.VALUE_NULL) {
                rows.nullField();
            } else {
                value(columns.get(k).type(), i);
            }
        }
        rows.endRow();
    }

    /** Field {@code i} for a column of type {@code type}; "" in a column that is not text is NULL. */
    private void value(FieldType type, int i) {
        JsonToken token = fields.token(i);
        boolean string = token == JsonToken.VALUE_STRING;
        if (string && fields.isEmptyString(i) && type != FieldType.TEXT && type != FieldType.JSON) {
            rows.nullField();
            return;
        }
        switch (type) {
            case TEXT -> rows.value(fields, i, false);
            case JSON -> rows.value(fields, i, true);
            case TIMESTAMP -> {
                int n = string && !fields.isRawEscaped(i) && fields.decoded(i) == null
                        ? MysqlValues.timestamp(fields.source(), fields.start(i) + 1, fields.end(i) - 1, timestamp)
                        : string ? decodedTimestamp(i) : -1;
                if (n < 0) {
                    rows.nullField();
                } else {
                    rows.field(timestamp, 0, n);
                }
            }
            case BOOLEAN -> {
                int v = switch (token) {
                    case VALUE_TRUE -> 1;
                    case VALUE_FALSE -> 0;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> isZero(i) ? 0 : 1;
                    case VALUE_STRING -> fields.decoded(i) == null && !fields.isRawEscaped(i)
                            ? MysqlValues.bool(fields.source(), fields.start(i) + 1, fields.end(i) - 1) : -1;
                    default -> -1;
                };
                if (v < 0) {
                    rows.nullField();
                } else {
                    rows.field(v == 1 ? TRUE : FALSE, 0, 1);
                }
            }
            case INTEGER, NUMBER -> {
                switch (token) {
                    case VALUE_TRUE -> rows.field(TRUE, 0, 1);
                    case VALUE_FALSE -> rows.field(FALSE, 0, 1);
                    case START_OBJECT, START_ARRAY -> rows.nullField();
                    default -> rows.value(fields, i, false);
                }
            }
        }
    }

    /** A timestamp string with escapes (rare): decoded first. */
    private int decodedTimestamp(int i) {
        String s = fields.decoded(i);
        if (s == null) {
            TabSeparatedRows scratch = new TabSeparatedRows();
            try {
                scratch.jsonString(fields.source(), fields.start(i) + 1, fields.end(i) - 1);
            } catch (RuntimeException e) {
                return -1;
            }
            s = scratch.pending();
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return MysqlValues.timestamp(b, 0, b.length, timestamp);
    }

    private boolean isZero(int i) {
        byte[] b = fields.source();
        for (int k = fields.start(i); k < fields.end(i); k++) {
            byte c = b[k];
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Appending: ends the load, copies the chunk into the table and commits. Replacing: nothing; the one
     * load runs on until {@link #complete()} (or a new column), because staged data need not be durable
     * (a replacement that does not complete is dropped, and its states wait for the swap), and ending a
     * {@code LOAD DATA} and committing at every state message costs more than the load itself.
     */
    @Override
    public void checkpoint() throws Exception {
        if (!inChunk || replacing) {
            return;
        }
        endChunk();
        conn.commit();
    }

    @Override
    public void complete() throws Exception {
        try {
            if (replacing) {
                if (!inChunk && !newTableCreated) {
                    beginChunk(); // an empty replacing stream still replaces the table
                }
                if (inChunk) {
                    endChunk();
                }
                conn.commit();
                for (String sql : shape.swap(tableExists(shape.table))) {
                    exec(sql);
                }
                replacing = false;
            } else {
                checkpoint();
            }
        } finally {
            Database.closeQuietly(conn);
        }
    }

    @Override
    public void abort() {
        if (load != null) {
            load.cancel();
            load = null;
        }
        try {
            conn.rollback();
            if (replacing && newTableCreated) {
                exec(shape.dropTable(shape.newTable)); // committed chunks of a replacement that never happens
            }
        } catch (SQLException ignored) {
            // closing the connection rolls back too; a left-over new table is dropped by the next run of this task id
        }
        Database.closeQuietly(conn);
    }

    private String target() {
        return replacing ? shape.newTable : shape.table;
    }

    private void beginChunk() throws Exception {
        if (inChunk) {
            return;
        }
        if (!databaseChecked) {
            createDatabaseIfMissing();
            databaseChecked = true;
        }
        // DDL commits implicitly in MySQL: it runs here, before the chunk has any rows
        if (replacing) {
            if (!newTableCreated) {
                exec(shape.dropTable(shape.newTable));
                exec(shape.createTable(shape.newTable));
                newTableCreated = true;
            }
        } else {
            Set<String> existing = existingColumns(shape.table);
            if (existing.isEmpty()) {
                exec(shape.createTable(shape.table));
            } else {
                String alter = shape.addMissingColumns(shape.table, existing);
                if (alter != null) {
                    exec(alter);
                }
            }
        }
        if (shape.staged() && !stagingCreated) {
            exec(shape.createStaging());
            stagingCreated = true;
        }
        startLoad();
        inChunk = true;
    }

    private void endChunk() throws Exception {
        endLoad();
        if (shape.staged()) {
            exec(shape.fromStaging(target()));
            exec(shape.clearStaging());
        }
        inChunk = false;
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(MysqlTable.databaseExists())) {
            ps.setString(1, shape.database);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        exec(shape.createDatabase());
    }

    private boolean tableExists(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(MysqlTable.tableExists())) {
            ps.setString(1, shape.database);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Set<String> existingColumns(String name) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(MysqlTable.existingColumns())) {
            ps.setString(1, shape.database);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * New fields in the middle of a chunk: end the load, add the columns, resume. The ALTER commits: rows
     * so far are in the staging table (the target is untouched until the checkpoint) or in the new table
     * (not swapped in yet), so nothing becomes visible early.
     */
    private void alterColumns(List<Column> added) throws Exception {
        endLoad();
        exec(shape.addColumns(target(), added));
        if (stagingCreated) {
            exec(shape.addColumns(null, added));
        }
        startLoad();
    }

    private void startLoad() {
        load = method.start(conn, shape, target());
        RowLoad l = load;
        rows.target(l::write);
    }

    private void endLoad() throws Exception {
        if (load != null) {
            RowLoad l = load;
            load = null;
            rows.flush();
            l.finish();
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
