package io.syncctl.worker.db;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work in one transaction on a pooled connection: commit on success, roll back otherwise. */
public final class Db {
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T tx(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
