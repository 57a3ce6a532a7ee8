package io.syncctl.worker.health;

import io.syncctl.worker.WorkerRuntime;
import io.syncctl.worker.monitor.PodWatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the pod informer runs and has listed our pods: a worker whose watch died sees no
 * pod end. {@link PodWatch} replaces a stopped informer by itself, so "down" lasts until a new one
 * has listed the pods again; a watch that is merely reconnecting stays ready.
 */
@Readiness
@ApplicationScoped
public class PodWatchReadiness implements HealthCheck {
    @Inject
    WorkerRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        PodWatch watch = runtime.worker().watch();
        String state = watch.watchState();
        return HealthCheckResponse.named("pod-watch").status(state.equals("watching") || state.equals("reconnecting"))
                .withData("informer", state).build();
    }
}
