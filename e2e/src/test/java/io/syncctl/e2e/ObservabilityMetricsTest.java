package io.syncctl.e2e;

import io.syncctl.e2e.support.Api;
import io.syncctl.e2e.support.Results;
import io.syncctl.e2e.support.Stack;
import io.syncctl.e2e.support.Synthetic;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.syncctl.e2e.support.Stack.SOURCE;
import static io.syncctl.e2e.support.Stack.VERSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every metric the Grafana dashboard and the alert rules query (deploy/observability/metrics.txt,
 * rendered by generate.py from the queries themselves) is exposed by the running api or workers
 * once a task has gone through: a renamed or dropped metric fails here instead of leaving an empty
 * panel or an alert that can never fire.
 */
@Order(2)
class ObservabilityMetricsTest {
    private static final Path METRICS = Path.of(System.getProperty("syncctl.repo", "..")).resolve("deploy/observability/metrics.txt");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMetricTheDashboardAndRulesUseIsExposed() throws Exception {
        Stack stack = Stack.get();
        Api api = stack.api();
        api.check(SOURCE, VERSION, "observability-check", Synthetic.config("records_per_stream", 1)).ok();
        assertEquals("SUCCESS", new Results(stack.db()).check("observability-check", Duration.ofSeconds(90)).get("status"));

        List<String> used = Files.readAllLines(METRICS).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertFalse(used.isEmpty(), METRICS + " lists no metric");
        // The worker that finalised the task records its end; metrics.txt's names come from both sides.
        Set<String> exposed = new TreeSet<>();
        for (URI base : List.of(stack.apiUrl(), stack.workerUrl(0), stack.workerUrl(1))) {
            exposed.addAll(sampleNames(scrape(base.resolve("/q/metrics"))));
        }
        List<String> missing = used.stream().filter(m -> !exposed.contains(m)).toList();
        assertEquals(List.of(), missing, "queried by the dashboard or the rules but exposed by no api or worker");
    }

    private static String scrape(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri.toString());
        return r.body();
    }

    /** The sample names of Prometheus' text format: {@code name{labels} value} or {@code name value}. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }
}
