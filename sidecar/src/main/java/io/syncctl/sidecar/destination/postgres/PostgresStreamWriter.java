package io.syncctl.sidecar.destination.postgres;

import com.fasterxml.jackson.core.JsonToken;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.Database;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.FieldColumns;
import io.syncctl.sidecar.destination.FieldType;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.destination.TabSeparatedRows;
import io.syncctl.sidecar.destination.postgres.PostgresTable.Column;
import io.syncctl.sidecar.record.RecordFields;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One stream into one table, over its own connection: the I/O of {@link PostgresTable}'s SQL. A chunk is
 * one transaction holding one COPY. A replacing stream's chunks load its new table, committed at each
 * checkpoint, and {@link #complete()} swaps it in; {@link #abort()} drops it, leaving the old table whole.
 * Fields the schema did not declare get a column when their first non-null value arrives: the running
 * COPY is ended, the column added, and COPY resumed with it, in the same transaction.
 */
final class PostgresStreamWriter implements StreamWriter {
    private final Connection conn;
    private final PostgresTable shape;
    /** The general path's fields, read from a record's raw data when the caller did not scan it. */
    private final RecordFields ownFields = new RecordFields();
    /** The fields of the record being written. */
    private RecordFields fields;
    private final TabSeparatedRows rows = new TabSeparatedRows();
    private final FieldColumns mapping = new FieldColumns();
    private final FieldColumns.Lookup columnIndex;

    /** Still loading the new table that {@link #complete()} swaps in. */
    private boolean replacing;
    private boolean newTableCreated;
    private boolean inChunk;
    private boolean stagingCreated;
    private boolean schemaChecked;
    private CopyIn copy;

    PostgresStreamWriter(Connection conn, PostgresTable shape, boolean replace) {
        this.conn = conn;
        this.shape = shape;
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
        mapFields();
        List<Column> added = null;
        for (int i = 0; i < fields.size(); i++) {
            if (mapping.columnOf(i) < 0 && fields.token(i) != JsonToken.VALUE_NULL) {
                if (added == null) {
                    added = new ArrayList<>();
                }
                added.add(shape.addColumn(fields.name(i), FieldType.ofValue(fields.token(i))));
            }
        }
        if (added != null) {
            alterColumns(added);
            mapping.reset();
            mapFields();
        }
        writeRow();
    }

    private void mapFields() {
        mapping.map(fields, columnIndex);
    }

    private void writeRow() throws Exception {
        List<Column> columns = shape.columns();
        int n = columns.size();
        int[] slot = mapping.slots(fields, n);
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

    /** Commits the chunk: into the table when appending, into the new table (not yet swapped in) when replacing. */
    @Override
    public void checkpoint() throws Exception {
        if (!inChunk) {
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
                for (String sql : shape.swap()) {
                    exec(sql);
                }
                conn.commit();
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
        try {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the rollback below discards it anyway
        }
        try {
            conn.rollback();
            if (replacing && newTableCreated) {
                exec(shape.dropTable(shape.newTable)); // committed chunks of a replacement that never happens
                conn.commit();
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
        if (!schemaChecked) {
            createSchemaIfMissing();
            schemaChecked = true;
        }
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
        if (shape.merging() && !stagingCreated) {
            exec(shape.createStaging());
            stagingCreated = true;
        }
        startCopy();
        inChunk = true;
    }

    private void endChunk() throws Exception {
        endCopy();
        if (shape.merging()) {
            exec(shape.mergeDelete(target()));
            exec(shape.mergeInsert(target()));
        }
        inChunk = false;
    }

    private void createSchemaIfMissing() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(PostgresTable.schemaExists())) {
            ps.setString(1, shape.schema);
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
            exec(shape.createSchema());
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private Set<String> existingColumns(String name) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(PostgresTable.existingColumns())) {
            ps.setString(1, shape.qualified(name));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** New fields in the middle of a chunk: end the COPY, add the columns, resume. */
    private void alterColumns(List<Column> added) throws Exception {
        endCopy();
        exec(shape.addColumns(target(), added));
        if (shape.merging() && stagingCreated) {
            exec(shape.addColumns(null, added));
        }
        startCopy();
    }

    private void startCopy() throws SQLException {
        copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(shape.copy(target()));
        rows.target(copy::writeToCopy);
    }

    private void endCopy() throws Exception {
        if (copy != null && copy.isActive()) {
            rows.flush();
            copy.endCopy();
        }
        copy = null;
    }

    private void exec(String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }
}
