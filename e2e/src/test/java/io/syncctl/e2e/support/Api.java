package io.syncctl.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The HTTP API as a client calls it. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    Api(URI base) {
        this.base = base;
    }

    /** An answer: status code and JSON body. */
    public record Answer(int status, JsonNode body) {
        public Answer ok() {
            if (status != 200 || !body.path("ok").asBoolean()) {
                throw new AssertionError("expected 200 {\"ok\":true...}, got " + status + " " + body);
            }
            return this;
        }

        public String taskId() {
            return body.path("taskId").asText();
        }
    }

    public Answer spec(String pkg, String version) {
        return send("GET", "/spec", query("package", pkg, "version", version), null);
    }

    public Answer check(String pkg, String version, String storageKey, Object config) {
        return send("POST", "/check", query("package", pkg, "version", version, "storageKey", storageKey),
                Map.of("config", config));
    }

    public Answer discover(String pkg, String version, String storageKey, Object config) {
        return send("POST", "/discover", query("package", pkg, "version", version, "storageKey", storageKey),
                Map.of("config", config));
    }

    /** {@code body}: config, catalog, state, destinationConfig; {@code options} more query parameters. */
    public Answer read(String pkg, String version, String taskId, String syncId, Map<String, Object> body,
                       String... options) {
        Map<String, String> q = query("package", pkg, "version", version, "taskId", taskId, "syncId", syncId);
        q.putAll(query(options));
        return send("POST", "/read", q, body);
    }

    public Answer cancel(String taskId, String syncId) {
        return send("GET", "/cancel", query("taskId", taskId, "syncId", syncId), null);
    }

    private Answer send(String method, String path, Map<String, String> query, Object body) {
        String q = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path + "?" + q)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.put(pairs[i], pairs[i + 1]);
        }
        return q;
    }
}
