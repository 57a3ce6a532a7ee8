package io.syncctl.worker;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.syncctl.shared.config.InvalidSettingException;

/** Checks the settings before anything starts, so a bad one stops the worker with one line naming it. */
@QuarkusMain
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String... args) {
        try {
            WorkerSettings.from(System.getenv());
        } catch (InvalidSettingException e) {
            System.err.println("syncctl worker: " + e.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }
}
