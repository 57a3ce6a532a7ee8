package io.syncctl.shared.config;

/** A missing or malformed {@code SYNCCTL_*} setting. The message is one line naming the variable, never its value. */
public final class InvalidSettingException extends RuntimeException {
    private final String variable;

    public InvalidSettingException(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
