package io.syncctl.api.auth;

import io.quarkus.runtime.StartupEvent;
import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.config.Settings;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token check in front of every REST endpoint except {@code /health}. Health, metrics and the
 * OpenAPI document under {@code /q/} are not REST resources and stay open, as CONTRACT section 1 says.
 */
@Singleton
public class AuthFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class);
    private static final String BEARER = "bearer ";

    private final BearerTokens tokens;

    public AuthFilter(Settings settings) {
        this.tokens = new BearerTokens(settings.authTokens(), settings.rawAuthTokens(), settings.tokenSecrets());
    }

    /** An api that anyone who reaches it can use must not go unnoticed. */
    void warnWhenOpen(@Observes StartupEvent event) {
        if (!tokens.required()) {
            LOG.warn("⚠️ NO AUTH: neither SYNCCTL_RAW_AUTH_TOKENS nor SYNCCTL_AUTH_TOKENS is set, so every request is "
                    + "accepted without a token. Set SYNCCTL_RAW_AUTH_TOKENS to the console's SYNCCTL_AUTH_KEY.");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public void authenticate(ContainerRequestContext request) {
        if (!tokens.required() || request.getUriInfo().getPath().equals("/health")) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing Authorization: Bearer <token> header");
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ApiException.unauthorized("the Authorization header must use the Bearer scheme");
        }
        if (!tokens.accepts(header.substring(BEARER.length()).trim())) {
            throw ApiException.unauthorized("invalid token");
        }
    }
}
