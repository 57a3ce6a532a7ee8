package io.syncctl.sidecar;

import java.util.Locale;

/** The connector command this sidecar watches: the value of {@code COMMAND}. */
public enum Command {
    SPEC, CHECK, DISCOVER, READ;

    static Command parse(String v) {
        try {
            return valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be one of spec, check, discover, read");
        }
    }
}
