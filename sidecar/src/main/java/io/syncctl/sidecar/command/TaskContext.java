package io.syncctl.sidecar.command;

import io.syncctl.shared.results.LogLine;
import io.syncctl.sidecar.ResultStore;
import io.syncctl.shared.sidecar.SidecarSettings;
import io.syncctl.sidecar.log.ConsoleLog;
import io.syncctl.sidecar.log.SecretMasker;
import io.syncctl.sidecar.log.TaskLog;

/** What every command handler works with. */
public record TaskContext(SidecarSettings env, ResultStore results, TaskLog log, SecretMasker masker) {

    public void info(String message) {
        log.ours(LogLine.Level.INFO, message);
    }

    public void warn(String message) {
        log.ours(LogLine.Level.WARN, message);
    }

    public void error(String message) {
        log.ours(LogLine.Level.ERROR, message);
    }

    public void debug(String message) {
        if (env.options().debug()) {
            log.ours(LogLine.Level.DEBUG, message);
        }
    }

    /** Reports a failure to write results on the sidecar's own stderr (the pod log): task_log may be the thing failing. */
    public void stderr(String message) {
        ConsoleLog.error(masker.mask(message));
    }
}
