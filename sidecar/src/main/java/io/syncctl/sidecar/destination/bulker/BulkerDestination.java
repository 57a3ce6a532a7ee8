package io.syncctl.sidecar.destination.bulker;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;

import java.net.URI;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Streams records to a Bulker instance ({@code destinationConfig}: {@code url, authToken, destinationId}).
 * Each chunk is one streaming {@code POST {url}/bulk/{destinationId or syncId}} of NDJSON; Bulker commits
 * it when the body ends, and drops it when a line starting with {@code ABORT} arrives.
 */
public final class BulkerDestination implements Destination {
    private final HttpClient client;
    private final URI base;
    private final String authToken;
    private final String destinationId;
    private final ReadOptions options;
    private final String taskId;

    private BulkerDestination(URI base, String authToken, String destinationId, ReadOptions options, String taskId) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
        this.authToken = authToken;
        this.destinationId = destinationId;
        this.options = options;
        this.taskId = taskId;
    }

    public static BulkerDestination from(JsonNode c, ReadOptions options, String syncId, String taskId) {
        String url = c.path("url").asText(""); // present: DestinationTypes checked it
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bulker destinationConfig.url is not a valid URL");
        }
        if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("bulker destinationConfig.url must be an http(s) URL");
        }
        String destinationId = c.path("destinationId").asText("");
        return new BulkerDestination(base, c.path("authToken").asText(""),
                destinationId.isBlank() ? syncId : destinationId, options, taskId);
    }

    /**
     * Reaches the Bulker instance once: any HTTP answer will do (its routes need a destination and a body),
     * an unreachable host or a refused connection fails here.
     */
    @Override
    public void check() throws IOException, InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(base).timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            client.send(probe, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IOException("cannot reach the bulker destination at " + base.getHost()
                    + (base.getPort() > 0 ? ":" + base.getPort() : "") + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    @Override
    public StreamWriter open(DestinationStream stream) {
        return new BulkerStreamWriter(client, base, authToken, destinationId, taskId, options, stream);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
