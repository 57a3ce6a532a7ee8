package io.syncctl.worker.db;

import io.syncctl.shared.db.SqlTransaction;
import io.syncctl.shared.db.SqlWork;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of work in one transaction on a pooled connection: commit on success, roll back otherwise. */
public final class Db {
    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T tx(SqlWork<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return SqlTransaction.run(c, work);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
