package io.syncctl.sidecar;

import io.syncctl.shared.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to the result database (DATABASE_URL). Plain JDBC: a pool is not worth its start-up.
 *
 * <p>The search_path is the URL's schema (the result tables) followed by our internal schema, which the
 * worker passes as {@code INTERNAL_SCHEMA} (default {@code syncctl}): the check guard reads
 * {@code syncctl_task} there. Where that schema is missing or not readable (another controller, a
 * restricted role) the sidecar still writes its results; ResultTables skips only that guard.
 */
public final class Database {
    public static final String INTERNAL_SCHEMA_VARIABLE = "INTERNAL_SCHEMA";
    public static final String DEFAULT_INTERNAL_SCHEMA = "syncctl";

    private final DatabaseUrl url;
    private final String internalSchema;

    /** Connections with the URL's own search_path only (destinations). */
    public Database(DatabaseUrl url) {
        this(url, null);
    }

    /** @param internalSchema appended to the search_path, or null for none */
    public Database(DatabaseUrl url, String internalSchema) {
        this.url = url;
        this.internalSchema = internalSchema;
    }

    /** The result database: the URL's schema, then the internal schema from {@value #INTERNAL_SCHEMA_VARIABLE}. */
    public static Database results(DatabaseUrl url) {
        return new Database(url, internalSchemaFrom(System.getenv()));
    }

    /** {@value #INTERNAL_SCHEMA_VARIABLE}, or {@value #DEFAULT_INTERNAL_SCHEMA} when it is not set. */
    public static String internalSchemaFrom(java.util.Map<String, String> env) {
        String v = env.get(INTERNAL_SCHEMA_VARIABLE);
        return v == null || v.isBlank() ? DEFAULT_INTERNAL_SCHEMA : v.trim();
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("ApplicationName", "syncctl-sidecar");
        p.setProperty("connectTimeout", "10");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url.jdbcUrl(internalSchema), p);
    }

    public static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing after a failure: the original problem is what matters
            }
        }
    }
}
