package io.syncctl.sidecar.destination.bulker;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.shared.sidecar.SidecarSettings.ReadOptions;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.SchemaField;
import io.syncctl.sidecar.destination.StreamWriter;
import io.syncctl.sidecar.pipe.BodyPipe;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One stream as streaming bulk requests. Appending: one request per chunk, each committed by Bulker when
 * its body ends. Replacing: Bulker replaces the table at the end of each {@code replace_table} request, so
 * the whole stream is one request, ended only by {@link #complete()}: a stream that fails sends
 * {@code ABORT} and leaves the previous table whole.
 */
final class BulkerStreamWriter implements StreamWriter {
    /** Header values must be ASCII: field names are escaped, not dropped. */
    private static final ObjectMapper HEADER_JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final byte[] ABORT = "ABORT\n".getBytes(StandardCharsets.US_ASCII);
    private static final long RESPONSE_TIMEOUT_MINUTES = 10;

    private final HttpClient client;
    private final URI base;
    private final String authToken;
    private final String destinationId;
    private final String taskId;
    private final ReadOptions options;
    private final DestinationStream stream;
    private final String schemaHeader;
    private boolean replacePending;
    private BodyPipe body;
    private CompletableFuture<HttpResponse<String>> response;

    BulkerStreamWriter(HttpClient client, URI base, String authToken, String destinationId, String taskId,
                       ReadOptions options, DestinationStream stream) {
        this.client = client;
        this.base = base;
        this.authToken = authToken;
        this.destinationId = destinationId;
        this.taskId = taskId;
        this.options = options;
        this.stream = stream;
        this.replacePending = stream.replace();
        this.schemaHeader = schema(stream);
    }

    /** Bulker's schema format: {@code {"name": table, "fields": [{"name", "type"}]}} with Bulker's type names. */
    private static String schema(DestinationStream stream) {
        ObjectNode s = HEADER_JSON.createObjectNode();
        s.put("name", stream.tableName());
        ArrayNode fields = s.putArray("fields");
        for (SchemaField f : stream.fields()) {
            fields.addObject().put("name", f.name()).put("type", switch (f.type()) {
                case TEXT -> "string";
                case TIMESTAMP -> "timestamp";
                case INTEGER -> "int64";
                case NUMBER -> "float64";
                case BOOLEAN -> "bool";
                case JSON -> "json";
            });
        }
        try {
            return HEADER_JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(AirbyteMessage.Record record) throws IOException {
        begin();
        body.write(record.data().bytes(), record.data().offset(), record.data().length());
        body.write((byte) '\n');
    }

    /** Ends the chunk's request and waits for Bulker's answer; a replacing stream's request stays open. */
    @Override
    public void checkpoint() throws IOException {
        if (body == null || replacePending) {
            return;
        }
        finishRequest();
    }

    @Override
    public void complete() throws IOException {
        if (body == null) {
            if (!replacePending) {
                return;
            }
            begin(); // an empty replacing stream still replaces the table
        }
        finishRequest();
        replacePending = false;
    }

    private void finishRequest() throws IOException {
        body.finish();
        HttpResponse<String> r = await();
        body = null;
        response = null;
        if (r.statusCode() / 100 != 2) {
            String text = r.body() == null ? "" : r.body().strip();
            throw new IOException("bulker answered HTTP " + r.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text)));
        }
    }

    @Override
    public void abort() {
        if (body == null) {
            return;
        }
        try {
            body.write(ABORT, 0, ABORT.length);
            body.finish();
            await();
        } catch (IOException ignored) {
            // the request failing is as good as an abort
        }
        body = null;
        response = null;
    }

    private void begin() {
        if (body != null) {
            return;
        }
        StringBuilder uri = new StringBuilder(base.toString()).append("/bulk/").append(enc(destinationId))
                .append("?tableName=").append(enc(stream.tableName()))
                .append("&mode=").append(replacePending ? "replace_table" : "batch")
                .append("&taskId=").append(enc(taskId));
        for (String pk : stream.primaryKey()) {
            uri.append("&pk=").append(enc(pk));
        }
        if (stream.namespace() != null) {
            uri.append("&namespace=").append(enc(stream.namespace()));
        }
        if (options.toSameCase()) {
            uri.append("&toSameCase=true");
        }
        body = new BodyPipe();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(uri.toString()))
                .header("Content-Type", "application/x-ndjson")
                .header("X-Jitsu-Schema", schemaHeader);
        if (!authToken.isEmpty()) {
            req.header("Authorization", "Bearer " + authToken);
        }
        BodyPipe current = body;
        req.POST(HttpRequest.BodyPublishers.ofInputStream(() -> current));
        response = client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString());
        current.watch(response);
    }

    private HttpResponse<String> await() throws IOException {
        try {
            return response.get(RESPONSE_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("bulk request to " + base.getHost() + " failed: " + c, c);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new IOException("bulker did not answer within " + RESPONSE_TIMEOUT_MINUTES + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
