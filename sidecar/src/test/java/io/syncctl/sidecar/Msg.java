package io.syncctl.sidecar;

/** Airbyte protocol lines, written by hand as a connector would. */
final class Msg {
    private Msg() {
    }

    static String record(String stream, String data) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"" + stream + "\",\"data\":" + data + ",\"emitted_at\":1700000000000}}";
    }

    static String streamState(String stream, String state) {
        return "{\"type\":\"STATE\",\"state\":" + stateObject(stream, state) + "}";
    }

    /** A STREAM state object: in a STATE message, or as the console passes a stored row back in {@code state.json}. */
    static String stateObject(String stream, String state) {
        return "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"" + stream + "\"},\"stream_state\":" + state + "}}";
    }

    static String legacyState(String data) {
        return "{\"type\":\"STATE\",\"state\":{\"data\":" + data + "}}";
    }

    static String globalState(String shared) {
        return "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":" + shared + ",\"stream_states\":[]}}}";
    }

    static String log(String level, String message) {
        return "{\"type\":\"LOG\",\"log\":{\"level\":\"" + level + "\",\"message\":\"" + message + "\"}}";
    }

    static String traceError(String stream, String message) {
        return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":1,\"error\":{\"message\":\"" + message + "\""
                + (stream == null ? "" : ",\"stream_descriptor\":{\"name\":\"" + stream + "\"}") + ",\"failure_type\":\"system_error\"}}}";
    }

    static String streamStatus(String stream, String status) {
        return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1,\"stream_status\":{\"stream_descriptor\":{\"name\":\""
                + stream + "\"},\"status\":\"" + status + "\"}}}";
    }

    /** A configured stream; {@code properties} is the json_schema properties object. */
    static String stream(String name, String properties, boolean incremental, String... pk) {
        StringBuilder keys = new StringBuilder();
        for (String k : pk) {
            keys.append(keys.isEmpty() ? "" : ",").append("[\"").append(k).append("\"]");
        }
        return "{\"stream\":{\"name\":\"" + name + "\",\"json_schema\":{\"type\":\"object\",\"properties\":" + properties
                + "},\"supported_sync_modes\":[\"full_refresh\",\"incremental\"]},\"sync_mode\":\""
                + (incremental ? "incremental" : "full_refresh") + "\",\"destination_sync_mode\":\"append\",\"primary_key\":["
                + keys + "]}";
    }

    static String catalog(String... streams) {
        return "{\"streams\":[" + String.join(",", streams) + "]}";
    }
}
