package io.syncctl.api.http;

import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.config.Settings;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * The body size rule of {@code SYNCCTL_MAX_REQUEST_BYTES}. Declared Content-Lengths above it are
 * refused before reading by {@link BodyLimit}. Bodies without a declared length (chunked) are
 * buffered by Quarkus, which stops reading at the limit plus 1 MiB
 * ({@link BodyLimitConfigSourceFactory}) and answers 413 itself beyond that; what it did buffer is
 * checked here against the exact limit. Taking the body as a String (not an InputStream) lets Quarkus
 * read small bodies on the event loop without a blocking hand-over, which is most of the cost of a
 * small request.
 */
@Singleton
public class RequestBody {
    public static final long DEFAULT_LIMIT = 16L * 1024 * 1024;

    private final long limit;

    public RequestBody(Settings settings) {
        this.limit = settings.maxRequestBytes();
    }

    public String read(String body) {
        // a char is at least one UTF-8 byte: only long bodies need the exact count
        if (body != null && body.length() > limit / 3 && body.getBytes(StandardCharsets.UTF_8).length > limit) {
            throw ApiException.tooLarge(BodyLimit.message(limit));
        }
        return body;
    }
}
