package io.syncctl.worker.health;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.syncctl.worker.Worker;
import io.syncctl.worker.WorkerRuntime;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.launch.TaskLabels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;

/** Ready when both things the worker needs answer: the database and the Kubernetes API. */
@Readiness
@ApplicationScoped
public class DependenciesReadiness implements HealthCheck {
    @Inject
    WorkerRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        Worker worker = runtime.worker();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("dependencies").up();
        try (Connection c = worker.db().dataSource().getConnection()) {
            boolean valid = c.isValid(3);
            r.withData("database", valid ? "reachable" : "not answering");
            if (!valid) {
                r.down();
            }
        } catch (SQLException e) {
            r.down().withData("database", "unreachable: " + e.getSQLState());
        }
        try {
            worker.client().pods().inNamespace(worker.settings().common().kubernetesNamespace())
                    .withLabels(TaskLabels.SELECTOR).list(new ListOptionsBuilder().withLimit(1L).build());
            r.withData("kubernetes", "reachable");
        } catch (KubernetesClientException e) {
            r.down().withData("kubernetes", "unreachable: " + ApiError.of(e));
        }
        return r.build();
    }
}
