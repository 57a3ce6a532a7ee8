package io.syncctl.worker.health;

import io.syncctl.worker.WorkerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the job server runs; the worker replaces a stopped one itself, so "down" means it could not. */
@Liveness
@ApplicationScoped
public class JobServerLiveness implements HealthCheck {
    @Inject
    WorkerRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        boolean running = runtime.worker().jobServer().map(s -> s.healthy() || s.ensureRunning()).orElse(false);
        return HealthCheckResponse.named("job-server").status(running).build();
    }
}
