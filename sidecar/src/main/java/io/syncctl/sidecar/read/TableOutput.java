package io.syncctl.sidecar.read;

import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.sidecar.command.TaskContext;

/** {@link ReadOutput} into the result tables, over the sidecar's result connection. */
final class TableOutput implements ReadOutput {
    private final TaskContext ctx;

    TableOutput(TaskContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void storeState(String streamKey, String stateJson) throws Exception {
        ctx.results().write(c -> {
            ResultTables.stateSaved(c, ctx.env().syncId(), streamKey, stateJson);
            return null;
        });
    }

    @Override
    public void progress(String description) throws Exception {
        ctx.results().write(c -> ResultTables.readProgress(c, ctx.env().taskId(), description));
    }

    @Override
    public boolean finished(ReadStatus status, String description, String error, String metricsJson) throws Exception {
        return ctx.results().write(c -> ResultTables.readFinished(c, ctx.env().taskId(), status, description, error, metricsJson));
    }

    @Override
    public boolean cancelRequested() throws Exception {
        return ctx.results().write(c -> ReadStatus.CANCELLED.name().equals(ResultTables.readStatus(c, ctx.env().taskId())));
    }

    @Override
    public boolean cancelledStatistics(String description, String error, String metricsJson) throws Exception {
        return ctx.results().write(c -> ResultTables.readCancelledStatistics(c, ctx.env().taskId(), description, error, metricsJson));
    }

    @Override
    public void log(LogLine.Level level, String message) {
        if (level != LogLine.Level.DEBUG || ctx.env().options().debug()) {
            ctx.log().ours(level, message);
        }
    }
}
