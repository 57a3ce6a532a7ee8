package io.syncctl.sidecar.log;

import io.syncctl.shared.results.LogLine.Level;

import java.util.Locale;

/** Levels of connector lines: Airbyte LOG levels and the leading word of plain-text lines. */
public final class LogLevels {
    private LogLevels() {
    }

    /** A connector line at one of these levels marks the current stream failed. */
    public static boolean isFailure(String connectorLevel) {
        return connectorLevel.equals("ERROR") || connectorLevel.equals("FATAL");
    }

    /** Airbyte's FATAL/ERROR/WARN/INFO/DEBUG/TRACE (and common spellings) as a task_log level. */
    public static Level toTaskLog(String connectorLevel) {
        return switch (connectorLevel) {
            case "FATAL", "ERROR", "CRITICAL", "SEVERE" -> Level.ERROR;
            case "WARN", "WARNING" -> Level.WARN;
            case "DEBUG", "TRACE", "FINE" -> Level.DEBUG;
            default -> Level.INFO;
        };
    }

    /** Normalises a connector's level name ({@code warning} → {@code WARN}, unknown → {@code INFO}). */
    public static String normalise(String level) {
        String l = level == null ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
        return switch (l) {
            case "WARNING" -> "WARN";
            case "CRITICAL", "SEVERE" -> "FATAL";
            case "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE" -> l;
            default -> "INFO";
        };
    }

    /**
     * The level of a plain-text line from its leading word ({@code ERROR ...}, {@code [WARN] ...},
     * {@code error: ...}); INFO when the line does not start with one.
     */
    public static String ofPlainLine(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '[' || line.charAt(i) == '\t')) {
            i++;
        }
        int start = i;
        while (i < n && Character.isLetter(line.charAt(i)) && i - start < 8) {
            i++;
        }
        if (i < n && Character.isLetter(line.charAt(i))) {
            return "INFO";
        }
        String word = line.substring(start, i).toUpperCase(Locale.ROOT);
        return switch (word) {
            case "INFO", "WARN", "WARNING", "ERROR", "DEBUG", "FATAL", "TRACE", "CRITICAL" -> normalise(word);
            default -> "INFO";
        };
    }
}
