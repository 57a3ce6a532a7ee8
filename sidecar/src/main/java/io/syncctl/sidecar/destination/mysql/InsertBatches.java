package io.syncctl.sidecar.destination.mysql;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Rows into a table by multi-row {@code INSERT IGNORE ... VALUES (...), (...)} statements, for servers or
 * drivers that do not allow {@code LOAD DATA LOCAL INFILE} (MySQL 8's default). It reads the very text
 * {@link io.syncctl.sidecar.destination.TabSeparatedRows} writes for {@code LOAD DATA}, so values are
 * encoded once for both paths, and turns each field into a string literal: that text's escapes
 * ({@code \\ \n \r \t}) are MySQL's string escapes too, so a field only needs its quotes doubled, and
 * {@code \N} becomes {@code NULL}. Every value reaches its column as a string, converted by the server as
 * {@code LOAD DATA} converts it; {@code IGNORE} makes a value the column cannot hold a warning, as
 * {@code LOCAL} does for {@code LOAD DATA} (the tables loaded have no unique key besides the staging
 * sequence, so it never skips a row).
 * <p>
 * A statement is sent, on the caller's thread and in its transaction, when it holds {@code batchBytes};
 * memory stays at one statement (a single row bigger than that makes a statement of its own).
 */
final class InsertBatches implements RowLoad {
    private static final byte[] NULL = {'N', 'U', 'L', 'L'};

    private final Connection conn;
    private final int head;
    private final int columns;
    private final int batchBytes;
    private final int maxBytes;
    private byte[] sql;
    private int len;
    private int rows;
    /** Where the row being read begins: its {@code (}, or the {@code ,} before it. */
    private int rowStart;
    /** The opening quote of the field being read. */
    private int fieldStart;
    private boolean inRow;
    private boolean escape;
    private long inserted;

    /**
     * @param insert     {@code INSERT IGNORE INTO t (columns) VALUES }
     * @param batchBytes the size at which a statement is sent
     * @param maxBytes   the largest statement the server takes (its {@code max_allowed_packet}, less a margin)
     */
    InsertBatches(Connection conn, String insert, int columns, int batchBytes, int maxBytes) {
        this.conn = conn;
        this.columns = columns;
        this.batchBytes = batchBytes;
        this.maxBytes = maxBytes;
        byte[] h = insert.getBytes(StandardCharsets.UTF_8);
        this.head = h.length;
        this.sql = Arrays.copyOf(h, initialSize());
        this.len = head;
    }

    private int initialSize() {
        return Math.max(head + batchBytes / 2, 1 << 16);
    }

    @Override
    public void write(byte[] b, int off, int n) throws Exception {
        if (len == head && sql.length > 4 * initialSize()) {
            sql = Arrays.copyOf(sql, initialSize()); // do not keep a huge record's buffer
        }
        // a byte makes at most three (a tab closes a field and opens the next: ','), plus three when it
        // starts a row (",('"); rows are at least one byte long
        ensure((int) Math.min(Integer.MAX_VALUE - 16, 6L * n + 16));
        for (int i = off, end = off + n; i < end; i++) {
            byte c = b[i];
            if (!inRow) {
                beginRow();
            }
            if (escape) {
                escape = false;
                sql[len++] = '\\';
                sql[len++] = c;
                continue;
            }
            switch (c) {
                case '\\' -> escape = true;
                case '\t' -> {
                    endField();
                    sql[len++] = ',';
                    beginField();
                }
                case '\n' -> endRow();
                case '\'' -> {
                    sql[len++] = '\'';
                    sql[len++] = '\'';
                }
                default -> {
                    // a run of plain bytes (most of a value) is copied at once
                    int j = i + 1;
                    while (j < end && plain(b[j])) {
                        j++;
                    }
                    System.arraycopy(b, i, sql, len, j - i);
                    len += j - i;
                    i = j - 1;
                }
            }
        }
    }

    private static boolean plain(byte c) {
        return c != '\\' && c != '\t' && c != '\n' && c != '\'';
    }

    @Override
    public long finish() throws Exception {
        if (inRow || escape) {
            throw new IllegalStateException("INSERT rows ended inside a row"); // the writer flushes whole rows only
        }
        if (rows > 0) {
            execute(len);
        }
        return inserted;
    }

    @Override
    public void cancel() {
        len = head; // nothing is running: statements are sent on the caller's thread
        rows = 0;
        inRow = false;
        escape = false;
    }

    private void beginRow() {
        rowStart = len;
        if (rows > 0) {
            sql[len++] = ',';
        }
        sql[len++] = '(';
        if (columns > 0) {
            beginField();
        }
        inRow = true;
    }

    private void beginField() {
        fieldStart = len;
        sql[len++] = '\'';
    }

    /** Closes the field's literal, or makes it NULL when it is exactly {@code \N}. */
    private void endField() {
        if (len - fieldStart == 3 && sql[fieldStart + 1] == '\\' && sql[fieldStart + 2] == 'N') {
            len = fieldStart;
            System.arraycopy(NULL, 0, sql, len, NULL.length);
            len += NULL.length;
        } else {
            sql[len++] = '\'';
        }
    }

    private void endRow() throws SQLException {
        if (columns > 0) {
            endField();
        }
        sql[len++] = ')';
        rows++;
        inRow = false;
        if (len < batchBytes) {
            return;
        }
        if (len > maxBytes && rows > 1) {
            // this row does not fit with the rows before it: send those, then it alone
            int end = len;
            execute(rowStart);
            int from = rowStart + 1; // after its ','
            System.arraycopy(sql, from, sql, head, end - from);
            len = head + end - from;
            rows = 1;
        }
        execute(len);
    }

    private void execute(int end) throws SQLException {
        String text = new String(sql, 0, end, StandardCharsets.UTF_8);
        try (Statement st = conn.createStatement()) {
            st.setEscapeProcessing(false); // JSON values hold '{': no JDBC escapes here
            inserted += st.executeLargeUpdate(text);
        }
        len = head;
        rows = 0;
    }

    private void ensure(int more) {
        if (len + more > sql.length) {
            sql = Arrays.copyOf(sql, Math.max(sql.length * 2, len + more));
        }
    }
}
