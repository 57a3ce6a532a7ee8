package io.syncctl.sidecar.destination.mysql;

import io.syncctl.sidecar.pipe.BodyPipe;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One running {@code LOAD DATA LOCAL INFILE}, fed while it runs: the driver executes the statement on its
 * own thread and reads the file from a {@link BodyPipe} (MariaDB Connector/J's
 * {@code setLocalInfileInputStream}), which the writer fills. Nothing touches the disk and at most a few
 * 64 KiB blocks are queued. The connection belongs to this statement until {@link #finish()} or
 * {@link #cancel()} returned.
 */
final class LoadStatement implements RowLoad {
    private static final long CANCEL_WAIT_SECONDS = 30;

    private final BodyPipe pipe = new BodyPipe();
    private final CompletableFuture<Long> done = new CompletableFuture<>();

    LoadStatement(Connection conn, String sql) {
        pipe.watch(done);
        Thread.ofPlatform().daemon().name("mysql-load").start(() -> {
            try (Statement st = conn.createStatement()) {
                st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(pipe);
                done.complete(st.executeLargeUpdate(sql));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
    }

    @Override
    public void write(byte[] b, int off, int len) throws Exception {
        try {
            pipe.write(b, off, len);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public long finish() throws Exception {
        try {
            pipe.finish();
        } catch (IOException e) {
            throw failure(e);
        }
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    @Override
    public void cancel() {
        try {
            pipe.finish();
            done.get(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException ignored) {
            // the statement failed or hangs: rolling back or closing the connection discards it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The statement's own error when it ended early (that is why the pipe is closed), else {@code e}. */
    private Exception failure(IOException e) {
        if (done.isCompletedExceptionally()) {
            try {
                done.get();
            } catch (ExecutionException x) {
                return unwrap(x);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        }
        return e;
    }

    private static Exception unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof SQLException s) {
            return s;
        }
        return c instanceof Exception x ? x : new SQLException("LOAD DATA failed", c);
    }
}
