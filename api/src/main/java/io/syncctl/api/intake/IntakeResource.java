package io.syncctl.api.intake;

import io.syncctl.api.http.RequestBody;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code /spec}, {@code /check}, {@code /discover} and {@code /read} (CONTRACT section 1). Each
 * validates its parameters and body, then hands the task to {@link TaskIntake}; a 200 means the task
 * is durably queued. Bodies are taken as text so the JSON inside reaches the connector unchanged.
 * Validation runs on the I/O thread (it is cheap and never blocks), the transaction on an intake writer.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class IntakeResource {
    private final TaskIntake intake;
    private final RequestBody requestBody;
    private final AllowedImages allowedImages;

    public IntakeResource(TaskIntake intake, RequestBody requestBody, AllowedImages allowedImages) {
        this.intake = intake;
        this.requestBody = requestBody;
        this.allowedImages = allowedImages;
    }

    @GET
    @Path("spec")
    public Uni<Accepted> spec(@QueryParam("package") String pkg, @QueryParam("version") String version,
                         @QueryParam("connectorType") String connectorType) {
        Validation.connectorType(connectorType);
        TaskRecord task = TaskRecord.accepted(UUID.randomUUID(), TaskType.SPEC, allowedImages.check(Validation.pkg(pkg)),
                Validation.version(version), null, null, null, Map.of());
        long startedAt = Instant.now().getEpochSecond();
        Accepted accepted = Accepted.of(task.id().toString()).withStartedAt(startedAt);
        return whenCommitted(intake.accept(task, TaskPayload.empty()), outcome -> accepted);
    }

    @POST
    @Path("check")
    public Uni<Accepted> check(@QueryParam("package") String pkg, @QueryParam("version") String version,
                          @QueryParam("storageKey") String storageKey, String body) {
        return configTask(TaskType.CHECK, pkg, version, storageKey, body);
    }

    @POST
    @Path("discover")
    public Uni<Accepted> discover(@QueryParam("package") String pkg, @QueryParam("version") String version,
                             @QueryParam("storageKey") String storageKey, String body) {
        return configTask(TaskType.DISCOVER, pkg, version, storageKey, body);
    }

    @POST
    @Path("read")
    public Uni<Accepted> read(@QueryParam("package") String pkg, @QueryParam("version") String version,
                         @QueryParam("taskId") String taskId, @QueryParam("syncId") String syncId,
                         @QueryParam("tableNamePrefix") String tableNamePrefix, @QueryParam("startedBy") String startedBy,
                         @QueryParam("namespace") String namespace, @QueryParam("toSameCase") String toSameCase,
                         @QueryParam("addMeta") String addMeta, @QueryParam("deduplicate") String deduplicate,
                         @QueryParam("fullSync") String fullSync, @QueryParam("debug") String debug, String body) {
        String p = allowedImages.check(Validation.pkg(pkg));
        String v = Validation.version(version);
        String t = Validation.id("taskId", taskId);
        String s = Validation.id("syncId", syncId);
        Map<String, String> options = new LinkedHashMap<>();
        putIfPresent(options, "tableNamePrefix", Validation.tableNamePrefix(tableNamePrefix));
        putIfPresent(options, "namespace", Validation.namespace(namespace));
        putIfPresent(options, "toSameCase", Validation.flag("toSameCase", toSameCase));
        putIfPresent(options, "addMeta", Validation.flag("addMeta", addMeta));
        putIfPresent(options, "deduplicate", Validation.flag("deduplicate", deduplicate));
        putIfPresent(options, "fullSync", Validation.flag("fullSync", fullSync));
        putIfPresent(options, "debug", Validation.flag("debug", debug));
        putIfPresent(options, "startedBy", Validation.startedBy(startedBy));
        JsonBody json = JsonBody.parse(requestBody.read(body));
        TaskPayload payload = PodPayloadLimit.check(new TaskPayload(json.object("config"), json.object("catalog"), json.state(),
                Validation.destination(json.object("destinationConfig"))));
        TaskRecord task = TaskRecord.accepted(JobIds.readTask(t), TaskType.READ, p, v, null, s, t, options);
        Accepted accepted = Accepted.of(t);
        return whenCommitted(intake.accept(task, payload), outcome -> outcome == TaskIntake.Outcome.CREATED
                ? accepted
                : accepted.withMessage("task '" + t + "' already exists; nothing new was queued"));
    }

    private Uni<Accepted> configTask(TaskType type, String pkg, String version, String storageKey, String body) {
        String p = allowedImages.check(Validation.pkg(pkg));
        String v = Validation.version(version);
        String key = Validation.id("storageKey", storageKey);
        TaskPayload payload = PodPayloadLimit.check(TaskPayload.config(JsonBody.parse(requestBody.read(body)).object("config")));
        TaskRecord task = TaskRecord.accepted(UUID.randomUUID(), type, p, v, key, null, null, Map.of());
        Accepted accepted = Accepted.of(task.id().toString());
        return whenCommitted(intake.accept(task, payload), outcome -> accepted);
    }

    /**
     * The endpoints are non-blocking: Quarkus reads the (small) body on the event loop, validation runs
     * there, and the task goes to the intake's group commit; no worker thread is held per request. The
     * answer is written back on the request's own event loop, not on the intake's writer thread.
     */
    private static Uni<Accepted> whenCommitted(CompletionStage<TaskIntake.Outcome> committed,
                                               Function<TaskIntake.Outcome, Accepted> answer) {
        Context context = Vertx.currentContext();
        Uni<TaskIntake.Outcome> outcome = Uni.createFrom().completionStage(committed);
        if (context != null) {
            outcome = outcome.emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
        return outcome.map(answer);
    }

    private static void putIfPresent(Map<String, String> options, String name, String value) {
        if (value != null) {
            options.put(name, value);
        }
    }
}
