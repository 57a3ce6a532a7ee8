package io.syncctl.api.errors;

import io.syncctl.api.metrics.IntakeMetrics;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code {"ok":false,"error":"..."}} with the right status; a client
 * never sees a stack trace. Unexpected failures get a generic message; the details go to the
 * server log only (our exception messages never carry payload contents).
 */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final IntakeMetrics metrics;

    public ErrorMappers(IntakeMetrics metrics) {
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        metrics.rejected(e.reason());
        Response r = json(e.status(), e.getMessage());
        if (e.status() == 413) {
            // the rest of the body is never read: end the connection rather than drain it
            r.getHeaders().putSingle("Connection", "close");
        }
        if (e.retryAfterSeconds() > 0) {
            r.getHeaders().putSingle("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        return r;
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        metrics.rejected("http_" + status);
        return json(status, switch (status) {
            case 404 -> "no such endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 406 -> "only application/json answers are available";
            case 413 -> "request body too large";
            case 415 -> "unsupported content type";
            default -> status >= 500 ? "internal error (see the api log)" : "bad request";
        });
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        metrics.rejected("internal");
        LOG.errorf(e, "unexpected failure: %s", e.getClass().getName());
        return json(500, "internal error (see the api log)");
    }

    public static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(message)).build();
    }
}
