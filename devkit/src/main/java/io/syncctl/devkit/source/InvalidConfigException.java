package io.syncctl.devkit.source;

/** Bad input from the user (config, catalog, state or arguments); its message is shown as is. */
public class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
