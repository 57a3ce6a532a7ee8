package io.syncctl.api.auth;

import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.config.Settings;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Without tokens, any web page a user of the api's network opens could make the browser POST to
 * it: a cross-site form or {@code fetch} without preflight may only send {@code text/plain},
 * form or multipart bodies and no {@code Authorization} header. So while auth is off, a POST must
 * carry a JSON Content-Type or an {@code Authorization: Bearer} header, which a browser sends
 * cross-site only after a CORS preflight the api never grants; anything else is 415. The Jitsu
 * console sends {@code Content-Type: application/json} on every call. {@code GET /spec} and
 * {@code GET /cancel} stay GETs for compatibility (CONTRACT section 1) and are not covered.
 * With tokens configured, {@link AuthFilter} already requires the header.
 */
@Singleton
public class CrossSiteGuard {
    static final String MESSAGE = "POST requests must have Content-Type: application/json (or an Authorization: Bearer header); "
            + "this keeps web pages of other sites from sending tasks through a browser";

    private final boolean authOff;

    public CrossSiteGuard(Settings settings) {
        this.authOff = settings.authTokens().isEmpty() && settings.rawAuthTokens().isEmpty();
    }

    @ServerRequestFilter(preMatching = true)
    public void refuseCrossSite(ContainerRequestContext request) {
        if (authOff && "POST".equals(request.getMethod()) && !allowed(request.getHeaderString(HttpHeaders.CONTENT_TYPE),
                request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            throw ApiException.unsupportedMediaType(MESSAGE);
        }
    }

    /** A JSON media type (application/json, or any +json), or a bearer header. */
    static boolean allowed(String contentType, String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "bearer ", 0, 7)) {
            return true;
        }
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}
