package io.syncctl.api.http;

import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.config.Settings;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as UTF-8 text, refusing it with 413 as soon as it passes
 * {@code SYNCCTL_MAX_REQUEST_BYTES}, so an oversized chunked upload is never buffered whole.
 * (Declared Content-Lengths above the limit are refused earlier, by {@link BodyLimit}.)
 */
@Singleton
public class RequestBody {
    public static final long DEFAULT_LIMIT = 16L * 1024 * 1024;

    private final long limit;

    public RequestBody(Settings settings) {
        this.limit = settings.maxRequestBytes();
    }

    public String read(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        long total = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw ApiException.tooLarge(BodyLimit.message(limit));
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read completely");
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
