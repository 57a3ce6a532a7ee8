package io.syncctl.api.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The {@code startedBy} query parameter becomes {@code source_task.started_by} (json). */
final class StartedBy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StartedBy() {
    }

    /** A JSON value is stored as sent, anything else as a JSON string; null stays null. */
    static String json(String startedBy) {
        if (startedBy == null) {
            return null;
        }
        return isJson(startedBy) ? startedBy : quote(startedBy);
    }

    private static boolean isJson(String s) {
        try {
            JSON.readTree(s);
            return !s.isBlank();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
