package io.syncctl.sidecar.log;

import io.syncctl.shared.results.LogLine.Level;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogLevelsTest {
    @Test
    void leadingWordOfPlainLines() {
        assertEquals("ERROR", LogLevels.ofPlainLine("ERROR something broke"));
        assertEquals("WARN", LogLevels.ofPlainLine("[warning] careful"));
        assertEquals("FATAL", LogLevels.ofPlainLine("FATAL: out of memory"));
        assertEquals("DEBUG", LogLevels.ofPlainLine("  debug x"));
        assertEquals("INFO", LogLevels.ofPlainLine("Errors are fine in prose"));
        assertEquals("INFO", LogLevels.ofPlainLine("2024-01-01 ERROR not leading"));
        assertEquals("INFO", LogLevels.ofPlainLine(""));
    }

    @Test
    void taskLogLevels() {
        assertEquals(Level.ERROR, LogLevels.toTaskLog("FATAL"));
        assertEquals(Level.DEBUG, LogLevels.toTaskLog("TRACE"));
        assertEquals("WARN", LogLevels.normalise("warning"));
        assertEquals("INFO", LogLevels.normalise("chatty"));
    }
}
