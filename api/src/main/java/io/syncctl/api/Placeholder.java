package io.syncctl.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

@Path("/health")
public class Placeholder {
    @GET
    public String health() {
        return "{\"status\":\"pass\"}";
    }
}
