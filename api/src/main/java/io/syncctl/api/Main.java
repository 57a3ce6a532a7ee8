package io.syncctl.api;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.syncctl.shared.config.InvalidSettingException;
import io.syncctl.shared.config.Settings;

import java.io.PrintStream;
import java.util.Map;

/**
 * Entry point of {@code java -jar api/target/quarkus-app/quarkus-run.jar}. The {@code SYNCCTL_*}
 * settings are checked before Quarkus boots, so a missing or malformed one stops the process with
 * exit code 2 and one line naming it, instead of a framework stack trace.
 */
@QuarkusMain
public final class Main {
    static final int BAD_SETTINGS = 2;

    private Main() {
    }

    public static void main(String... args) {
        int code = checkSettings(System.getenv(), System.err);
        if (code != 0) {
            System.exit(code);
        }
        Quarkus.run(args);
    }

    /** 0 when the settings are usable, else prints one line to {@code err} and returns the exit code. */
    static int checkSettings(Map<String, String> env, PrintStream err) {
        try {
            Settings.from(env, Settings.Role.API);
            return 0;
        } catch (InvalidSettingException e) {
            err.println("syncctl-api: " + e.getMessage());
            return BAD_SETTINGS;
        }
    }
}
