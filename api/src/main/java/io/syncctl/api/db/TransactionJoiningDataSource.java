package io.syncctl.api.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The DataSource JobRunr's storage provider gets in the api. Outside a {@link Transactions} unit it is
 * the pool. Inside one, it hands out the unit's own connection behind a proxy that ignores
 * {@code commit}, {@code rollback}, {@code setAutoCommit} and {@code close}, so the job row JobRunr
 * inserts commits or rolls back together with the task row and the result-table change.
 *
 * <p>Why this is sound for JobRunr 8.7.0: {@code DefaultSqlStorageProvider.save(Job)} takes a
 * connection from the DataSource, wraps it in its {@code Transaction} (which only flips autocommit
 * when it is on, then calls {@code commit()} or, on failure, {@code rollback()}), runs one INSERT or a
 * version-checked UPDATE through {@code JobTable}, and closes the connection. It keeps no connection
 * and no state between calls. Reads such as {@code getJobById} run plain SELECTs, which then see our
 * uncommitted rows, as they should. The one hazard is a duplicate job id: PostgreSQL aborts the
 * transaction on the unique violation while JobRunr treats it as "already enqueued"; the intake only
 * enqueues ids of task rows it has just inserted, so that cannot happen (and if it did, our commit
 * would fail and nothing would be stored).
 */
// @Typed: not a DataSource bean for anyone else (Flyway and health must get the plain pool).
@ApplicationScoped
@Typed(TransactionJoiningDataSource.class)
public class TransactionJoiningDataSource implements DataSource {
    private final AgroalDataSource pool;
    private final Transactions transactions;

    public TransactionJoiningDataSource(AgroalDataSource pool, Transactions transactions) {
        this.pool = pool;
        this.transactions = transactions;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection joined = transactions.current();
        return joined == null ? pool.getConnection() : joining(joined);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from SYNCCTL_DATABASE_URL");
    }

    static Connection joining(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (ignored(method)) {
                        return null;
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** What would end or reshape our transaction: the owner of the transaction does these, not JobRunr. */
    private static boolean ignored(Method m) {
        return switch (m.getName()) {
            case "commit", "rollback", "close" -> m.getParameterCount() == 0;
            case "setAutoCommit" -> true;
            default -> false;
        };
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("io.syncctl.api.db");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || pool.isWrapperFor(iface);
    }
}
