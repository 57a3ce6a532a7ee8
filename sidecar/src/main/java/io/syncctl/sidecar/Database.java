package io.syncctl.sidecar;

import io.syncctl.shared.config.DatabaseUrl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens connections to the result database (DATABASE_URL). Plain JDBC: a pool is not worth its start-up. */
public final class Database {
    private final DatabaseUrl url;

    public Database(DatabaseUrl url) {
        this.url = url;
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
        return DriverManager.getConnection(url.jdbcUrl(), p);
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
