package io.syncctl.sidecar.destination.mysql;

/**
 * One run of rows into one table, fed the tab-separated text {@link io.syncctl.sidecar.destination.TabSeparatedRows}
 * writes (whole rows per call): a streaming {@link LoadStatement} or {@link InsertBatches}, as
 * {@link LoadMethod} decided. The connection belongs to it until {@link #finish()} or {@link #cancel()} returned.
 */
interface RowLoad {

    void write(byte[] b, int off, int len) throws Exception;

    /** Ends the rows; returns how many the server took once it has them all, or throws why it refused them. */
    long finish() throws Exception;

    /** Ends the rows early; the caller rolls back. Never throws. */
    void cancel();
}
