package io.syncctl.shared.task;

import java.util.Locale;

/** The four Airbyte commands a task runs. */
public enum TaskType {
    SPEC, CHECK, DISCOVER, READ;

    /** The connector command and the sidecar's {@code COMMAND} value: {@code spec}, {@code check}, ... */
    public String command() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskType ofCommand(String command) {
        return valueOf(command.toUpperCase(Locale.ROOT));
    }
}
