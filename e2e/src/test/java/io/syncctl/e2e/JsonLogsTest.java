package io.syncctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Await;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code SYNCCTL_LOG_FORMAT=json}: an api and two workers of their own, started with it, write one
 * JSON object per line (every line of their output parses), and the worker's lines about a task
 * carry its id and type as fields.
 */
@Order(2)
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern JVM_WARNING = java.util.regex.Pattern.compile(
            "WARNING: (A terminally deprecated method in sun\\.misc\\.Unsafe has been called"
                    + "|sun\\.misc\\.Unsafe::\\w+ (has been called by|will be removed in) .*"
                    + "|Please consider reporting this to the maintainers of class .*)");
    private static Stack stack;

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void apiAndWorkersWriteOneJsonObjectPerLineWithTheTaskAsFields() throws Exception {
        String schema = Stack.runSchema() + "_json";
        stack = Stack.start(new Stack.Deployment("json-", schema, schema + "_internal", false,
                Map.of("SYNCCTL_DATABASE_URL", Stack.databaseUrl(schema), "SYNCCTL_LOG_FORMAT", "json")));
        Api api = stack.api();
        String taskId = api.check(SOURCE, VERSION, "json-logs-check", Synthetic.config("records_per_stream", 1)).ok().taskId();
        assertEquals("SUCCESS", new Results(stack.db()).check("json-logs-check", Duration.ofSeconds(90)).get("status"));

        List<JsonNode> apiLines = lines(stack.apiLog());
        assertTrue(apiLines.stream().anyMatch(l -> l.path("message").asText().contains("job queue ready")), "the api's startup lines");
        // the worker that finalised the check writes "task ... ended" (just after the result is visible)
        JsonNode ended = Await.value("a worker line about task " + taskId + " with its id as a field", Duration.ofSeconds(60), () -> {
            List<JsonNode> workers = new ArrayList<>(lines(stack.workerLog(0)));
            workers.addAll(lines(stack.workerLog(1)));
            return workers.stream().filter(l -> l.path("message").asText().contains("ended: SUCCESS")
                    && taskId.equals(l.path("mdc").path("taskId").asText())).findFirst();
        });
        assertEquals("check", ended.path("mdc").path("taskType").asText());
        assertFalse(ended.path("mdc").has("syncId"), "a check has no sync id");
    }

    /**
     * Every line the process wrote, each parsed as one JSON object. Left aside: the harness's own header
     * line, and the JVM's warnings about {@code sun.misc.Unsafe} that JDK 24+ prints to stderr before any
     * logging starts (not log records; the images run JDK 21, which prints none).
     */
    private static List<JsonNode> lines(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String text = Files.readString(log);
        // a line the process is writing right now is checked on the next read
        text = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("---- ") || (Runtime.version().feature() >= 24 && JVM_WARNING.matcher(line).matches())) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.isObject() || !node.has("message") || !node.has("level") || !node.has("timestamp")) {
                    fail(log.getFileName() + ": not a log record: " + line);
                }
                out.add(node);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                fail(log.getFileName() + ": not JSON: " + line);
            }
        }
        assertFalse(out.isEmpty(), log + " is empty");
        return out;
    }
}
