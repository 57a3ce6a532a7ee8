package io.syncctl.shared.config;

import java.util.Locale;

/**
 * {@code SYNCCTL_LOG_FORMAT}: how api, worker and sidecar write their log lines. {@code text} (the
 * default) for people, {@code json} (one JSON object per line) for log pipelines. For api and worker
 * {@link SyncctlConfigSourceFactory} turns it into Quarkus' JSON console logging; the worker passes it
 * on to the sidecars of its task pods.
 */
public enum LogFormat {
    TEXT, JSON;

    public static final String SETTING = "SYNCCTL_LOG_FORMAT";

    /** {@code text} or {@code json}, any case; null or blank is {@code text}. */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("must be text or json");
        };
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
