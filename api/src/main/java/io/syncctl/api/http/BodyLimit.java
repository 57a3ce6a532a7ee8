package io.syncctl.api.http;

import io.syncctl.api.metrics.IntakeMetrics;
import io.syncctl.shared.config.Settings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses bodies above {@code SYNCCTL_MAX_REQUEST_BYTES} with our JSON 413 before reading them: a
 * request that declares a larger Content-Length is answered from its headers, and the connection is
 * closed so the rest is never read. Bodies without a declared length: see {@link RequestBody}.
 */
@ApplicationScoped
public class BodyLimit {
    public static String message(long limit) {
        return "request body too large: the limit is " + limit + " bytes (SYNCCTL_MAX_REQUEST_BYTES)";
    }

    void install(@Observes Router router, Settings settings, IntakeMetrics metrics) {
        long max = settings.maxRequestBytes();
        String body = "{\"ok\":false,\"error\":\"" + message(max) + "\"}";
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length, max)) {
                metrics.rejected("too_large");
                rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(body);
                return;
            }
            rc.next();
        });
    }

    static boolean tooLarge(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
