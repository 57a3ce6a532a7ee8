package io.syncctl.api.cancel;

import io.syncctl.api.intake.Validation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /cancel?taskId=..&syncId=..[&package=..]} (CONTRACT section 1); see {@link TaskCancellation}. */
@Path("/cancel")
@Produces(MediaType.APPLICATION_JSON)
public class CancelResource {
    private final TaskCancellation cancellation;

    public CancelResource(TaskCancellation cancellation) {
        this.cancellation = cancellation;
    }

    @GET
    public CancelResult cancel(@QueryParam("taskId") String taskId, @QueryParam("syncId") String syncId,
                               @QueryParam("package") String pkg) {
        String t = Validation.id("taskId", taskId);
        String s = Validation.id("syncId", syncId);
        if (pkg != null && !pkg.isEmpty()) {
            Validation.pkg(pkg);
        }
        return cancellation.cancel(t, s);
    }
}
