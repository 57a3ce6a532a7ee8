package io.syncctl.sidecar.destination.mysql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How rows reach the server, decided once per destination: {@code LOAD DATA LOCAL INFILE} when both the
 * server ({@code local_infile}, OFF by default in MySQL 8) and the driver ({@code allowLocalInfile} in
 * {@code parameters}) allow it, else multi-row {@code INSERT}s as Bulker loads MySQL, so such servers need
 * no change.
 *
 * @param why        why INSERTs are used, null for {@code LOAD DATA}
 * @param batchBytes the size at which an INSERT is sent
 * @param maxBytes   the largest statement the server takes
 */
record LoadMethod(boolean localInfile, String why, int batchBytes, int maxBytes) {
    /**
     * A round trip per MiB costs little; larger statements cost heap per open stream (the statement, its
     * String, the driver's packet buffer: about 3 MiB at this size). The server's packet limit may make
     * them smaller.
     */
    static final int MAX_BATCH_BYTES = 1 << 20;
    private static final int PACKET_MARGIN = 1024;

    static LoadMethod of(Connection c) throws SQLException {
        boolean client = c.unwrap(org.mariadb.jdbc.Connection.class).getContext().getConf().allowLocalInfile();
        boolean server;
        long packet;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@GLOBAL.local_infile, @@max_allowed_packet")) {
            rs.next();
            server = rs.getBoolean(1);
            packet = rs.getLong(2);
        }
        String why = !client ? "allowLocalInfile=false in parameters" : !server ? "the server's local_infile is OFF" : null;
        int max = (int) Math.min(Integer.MAX_VALUE - 8, packet - PACKET_MARGIN);
        return new LoadMethod(why == null, why, (int) Math.min(MAX_BATCH_BYTES, packet / 4), max);
    }

    /** The task log's line. */
    String describe() {
        return localInfile ? "mysql destination: loading by LOAD DATA LOCAL INFILE"
                : "mysql destination: loading by multi-row INSERT of up to " + batchBytes / 1024 + " KiB (" + why + ")";
    }

    /**
     * Readies a writer's connection: INSERT literals use backslash escapes, which the session's
     * {@code NO_BACKSLASH_ESCAPES} would turn off.
     */
    void prepare(Connection c) throws SQLException {
        if (localInfile) {
            return;
        }
        String mode;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@SESSION.sql_mode")) {
            rs.next();
            mode = rs.getString(1);
        }
        if (mode != null && mode.toUpperCase(java.util.Locale.ROOT).contains("NO_BACKSLASH_ESCAPES")) {
            try (PreparedStatement ps = c.prepareStatement("SET SESSION sql_mode = ?")) {
                ps.setString(1, Arrays.stream(mode.split(",")).filter(m -> !m.equalsIgnoreCase("NO_BACKSLASH_ESCAPES"))
                        .collect(Collectors.joining(",")));
                ps.execute();
            }
        }
    }

    /** A run of rows into {@code target} (the staging table when the shape stages). */
    RowLoad start(Connection c, MysqlTable shape, String target) {
        return localInfile ? new LoadStatement(c, shape.load(target))
                : new InsertBatches(c, shape.insert(target), shape.columns().size(), batchBytes, maxBytes);
    }
}
