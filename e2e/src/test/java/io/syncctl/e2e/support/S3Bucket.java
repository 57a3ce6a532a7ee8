package io.syncctl.e2e.support;

import io.syncctl.devkit.s3.LocalS3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A bucket on a local S3-compatible server (devkit's {@link LocalS3}, started here, taking unsigned
 * requests) and a plain HTTP view of its objects, as any S3 client would list and read them.
 */
public final class S3Bucket implements AutoCloseable {
    private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
    private final LocalS3 server;
    public final String name = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();

    public S3Bucket(Path dir) {
        try {
            server = LocalS3.start(Stack.built(LocalS3.JAR), dir, null, null, false);
            send(HttpRequest.newBuilder(server.endpoint().resolve("/" + name)).PUT(HttpRequest.BodyPublishers.noBody()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The console's s3 destinationConfig for this bucket. */
    public Map<String, Object> destination(String folder, String compression) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("destinationType", "s3");
        d.put("accessKeyId", "AKIAE2E");
        d.put("secretAccessKey", "e2e-s3-secret-5d1c");
        d.put("bucket", name);
        d.put("region", "us-west-1");
        d.put("endpoint", server.endpoint().toString());
        d.put("folder", folder);
        d.put("format", "ndjson");
        d.put("compression", compression);
        return d;
    }

    public List<String> keys(String prefix) {
        String xml = new String(send(HttpRequest.newBuilder(server.endpoint().resolve("/" + name + "?list-type=2&prefix="
                + URLEncoder.encode(prefix, StandardCharsets.UTF_8)))), StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        Matcher m = KEY.matcher(xml);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys.stream().sorted().toList();
    }

    /** The object's lines, gunzipped when its key ends in .gz. */
    public List<String> lines(String key) {
        byte[] b = send(HttpRequest.newBuilder(server.endpoint().resolve("/" + name + "/" + key)));
        try {
            if (key.endsWith(".gz")) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                    b = in.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(b, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private byte[] send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.build().uri() + " answered " + r.statusCode() + ": "
                        + new String(r.body(), StandardCharsets.UTF_8));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }
}
