package io.syncctl.api.health;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;

/** Whether the database answers within a couple of seconds: what "the api can accept tasks" needs. */
@ApplicationScoped
public class DatabaseProbe {
    private static final int TIMEOUT_SECONDS = 2;

    private final AgroalDataSource dataSource;

    public DatabaseProbe(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }
}
