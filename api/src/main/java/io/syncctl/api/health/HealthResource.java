package io.syncctl.api.health;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** {@code GET /health}: {@code {"status":"pass"}} when the database is reachable, else 503 {@code {"status":"fail"}}. No auth. */
@Path("/health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    private final DatabaseProbe probe;

    public HealthResource(DatabaseProbe probe) {
        this.probe = probe;
    }

    @GET
    public Response health() {
        return probe.reachable()
                ? Response.ok(Map.of("status", "pass")).build()
                : Response.status(503).entity(Map.of("status", "fail", "output", "database unreachable")).build();
    }
}
