package io.syncctl.sidecar.read;

import io.syncctl.shared.results.LogLine;
import io.syncctl.shared.results.ReadStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The result tables of one read task, in memory: source_state rows, source_task row, our log lines. */
final class InMemoryOutput implements ReadOutput {
    final Map<String, String> states = new LinkedHashMap<>();
    /** Every state write, in order, as key=json. */
    final List<String> stateWrites = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    /** source_task.status; the api may set it to CANCELLED before the sidecar finishes. */
    ReadStatus status = ReadStatus.RUNNING;
    String description = "running";
    String error;
    String metrics;

    @Override
    public void storeState(String streamKey, String stateJson) {
        states.put(streamKey, stateJson);
        stateWrites.add(streamKey + "=" + stateJson);
    }

    @Override
    public void progress(String d) {
        if (status == ReadStatus.RUNNING) {
            description = d;
        }
    }

    @Override
    public boolean finished(ReadStatus s, String d, String e, String m) {
        if (status != ReadStatus.RUNNING) {
            return false;
        }
        status = s;
        description = d;
        error = e;
        metrics = m;
        return true;
    }

    @Override
    public boolean cancelRequested() {
        return status == ReadStatus.CANCELLED;
    }

    @Override
    public boolean cancelledStatistics(String d, String e, String m) {
        if (status != ReadStatus.CANCELLED) {
            return false;
        }
        description = d;
        error = e;
        metrics = m;
        return true;
    }

    @Override
    public void log(LogLine.Level level, String message) {
        logs.add(level + " " + message);
    }
}
