package io.syncctl.sidecar.destination.mysql;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How to connect to the destination server with MariaDB Connector/J (it speaks to MySQL 8 as well), from
 * the console's fields. {@code parameters} are the Go driver's as the console sends them: {@code tls}
 * ({@code true}, {@code skip-verify}, {@code preferred}, {@code false}) becomes {@code sslMode}
 * ({@code verify-full}, {@code trust}, TLS when the server offers it, {@code disable}); the Go driver's
 * own timeouts and charset are dropped (every connection is utf8mb4 here); any other key is passed to
 * the driver as an option ({@code allowLocalInfile=false} too: rows then go by INSERT, see {@link LoadMethod}).
 *
 * @param tls the console's {@code tls} value, {@code preferred} when absent
 */
record MysqlConnection(String host, int port, String database, String username, String password, String tls,
                       Map<String, String> options) {
    static final int DEFAULT_PORT = 3306;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int NET_READ_TIMEOUT_SECONDS = 7200;
    /** The Go driver's parameters that mean nothing to Connector/J or that we set ourselves. */
    private static final Set<String> GO_ONLY = Set.of("tls", "timeout", "readTimeout", "writeTimeout", "charset",
            "collation", "parseTime", "loc", "interpolateParams", "multiStatements", "allowNativePasswords");

    static MysqlConnection from(JsonNode c) {
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
        String tls = params.getOrDefault("tls", "").isBlank() ? "preferred" : params.get("tls").trim();
        if (!Set.of("true", "skip-verify", "preferred", "false").contains(tls)) {
            throw new IllegalArgumentException("mysql destinationConfig.parameters.tls must be true, false, skip-verify or preferred");
        }
        Map<String, String> options = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!GO_ONLY.contains(k)) {
                options.put(k, v);
            }
        });
        JsonNode portNode = c.get("port");
        int port = portNode == null || portNode.isNull() || portNode.asText().isBlank() ? DEFAULT_PORT : portNode.asInt(-1);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("mysql destinationConfig.port must be a port number");
        }
        return new MysqlConnection(required(c, "host"), port, required(c, "database"), required(c, "username"),
                text(c, "password"), tls, Map.copyOf(options));
    }

    String jdbcUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:mariadb://" + h + ":" + port + "/" + database;
    }

    /** Driver options; {@code sslMode} for the first attempt (the fallback of {@code preferred} is {@code disable}). */
    Properties properties(String sslMode) {
        Properties p = new Properties();
        p.putAll(options);
        p.setProperty("user", username);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("sslMode", sslMode);
        p.putIfAbsent("allowLocalInfile", "true"); // parameters may say false: rows then go by INSERT
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS));
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    private String sslMode() {
        return switch (tls) {
            case "true" -> "verify-full";
            case "skip-verify", "preferred" -> "trust";
            default -> "disable";
        };
    }

    /** A connection with the session in UTC (timestamps are written as UTC text) and a long read timeout. */
    Connection connect() throws SQLException {
        org.mariadb.jdbc.Driver driver = new org.mariadb.jdbc.Driver();
        Connection c;
        try {
            c = driver.connect(jdbcUrl(), properties(sslMode()));
        } catch (SQLException e) {
            if (!tls.equals("preferred") || !isTlsRefused(e)) {
                throw e;
            }
            c = driver.connect(jdbcUrl(), properties("disable")); // preferred: plain when the server has no TLS
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            // a LOAD DATA stays open while the connector is quiet (a slow API): the server must wait as
            // long as the sidecar does (its idle timeout, 1 h by default), not its 30 s default
            st.execute("SET SESSION net_read_timeout = " + NET_READ_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static boolean isTlsRefused(SQLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("ssl") || m.contains("tls");
    }

    /** What went wrong connecting, for the task's error: never the password. */
    String describe(SQLException e) {
        String where = host + ":" + port;
        String reason = String.valueOf(e.getMessage()).replaceFirst("^\\(conn=\\d+\\) ", "");
        return switch (e.getErrorCode()) {
            case 1045, 1698 -> "mysql destination: access denied for user " + username + " at " + where
                    + " (wrong username or password)";
            case 1049 -> "mysql destination: database " + database + " does not exist at " + where;
            case 1044 -> "mysql destination: user " + username + " has no access to database " + database;
            default -> e.getSQLState() != null && e.getSQLState().startsWith("08") || e.getErrorCode() == 0
                    ? "mysql destination: cannot connect to " + where + ": " + reason
                    : "mysql destination: " + reason;
        };
    }

    private static String required(JsonNode c, String field) {
        String v = text(c, field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("mysql destinationConfig." + field + " is required");
        }
        return v;
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        return "MysqlConnection[" + username + "@" + host + ":" + port + "/" + database + "]"; // no password
    }
}
