package io.syncctl.devkit.cluster;

import java.time.Instant;

/** Where one container of a pod is, as the kubelet reports it. */
sealed interface RunState {

    /** Not started: {@code PodInitializing}, {@code ContainerCreating}, {@code ErrImagePull}... */
    record Waiting(String reason, String message) implements RunState {
    }

    record Running(Instant startedAt, long pid) implements RunState {
    }

    record Terminated(int exitCode, Instant startedAt, Instant finishedAt, long pid) implements RunState {
        String reason() {
            return exitCode == 0 ? "Completed" : "Error";
        }
    }

    static RunState waiting(String reason) {
        return new Waiting(reason, null);
    }
}
