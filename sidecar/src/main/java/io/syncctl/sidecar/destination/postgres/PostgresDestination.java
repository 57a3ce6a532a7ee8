package io.syncctl.sidecar.destination.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.config.DatabaseUrl;
import io.syncctl.sidecar.Database;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads streams into PostgreSQL tables ({@code destinationConfig}: {@code host, port, database, username,
 * password, defaultSchema, sslMode, parameters}). Each stream writes over its own connection, because a
 * connection holds one COPY and one transaction at a time and connectors interleave streams.
 */
public final class PostgresDestination implements Destination {
    private final Database database;
    private final String schema;
    private final ReadOptions options;
    private final String taskId;

    private PostgresDestination(Database database, String schema, ReadOptions options, String taskId) {
        this.database = database;
        this.schema = schema;
        this.options = options;
        this.taskId = taskId;
    }

    public static PostgresDestination from(JsonNode c, ReadOptions options, String taskId) {
        // host and database are there: DestinationTypes checked them
        String host = text(c, "host");
        int port = c.path("port").asInt(5432);
        String db = text(c, "database");
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = c.get("parameters");
        if (p != null && p.isObject()) {
            p.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        } else if (p != null && p.isTextual() && !p.asText().isBlank()) {
            for (String pair : p.asText().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        String sslMode = c.path("sslMode").asText("");
        if (!sslMode.isEmpty()) {
            params.put("sslmode", sslMode);
        }
        // a stream's own namespace (TableNaming) wins over this; the read's NAMESPACE option is not a schema name
        String schema = c.path("defaultSchema").asText("").isBlank() ? "public" : c.path("defaultSchema").asText().trim();
        schema = Identifiers.table(schema, options.toSameCase());
        DatabaseUrl url = new DatabaseUrl(host, port, db, text(c, "username"), text(c, "password"), schema, Map.copyOf(params));
        return new PostgresDestination(new Database(url), schema, options, taskId);
    }

    /** Connects once: an unreachable host, a wrong password or a missing database fails here. */
    @Override
    public void check() throws SQLException {
        try (Connection c = database.connect()) {
            c.isValid(10);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to the postgres destination: " + e.getMessage(), e);
        }
    }

    @Override
    public StreamWriter open(DestinationStream stream) throws Exception {
        Connection c = database.connect();
        try {
            c.setAutoCommit(false);
            return new PostgresStreamWriter(c, new PostgresTable(schema, stream, options.toSameCase(), options.addMeta(), taskId),
                    stream.replace());
        } catch (Exception e) {
            Database.closeQuietly(c);
            throw e;
        }
    }

    @Override
    public void close() {
        // connections belong to the stream writers
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
