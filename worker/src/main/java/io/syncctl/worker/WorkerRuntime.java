package io.syncctl.worker;

import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Starts the application's one {@link Worker} once Quarkus is up (after Flyway migrated) and stops it on shutdown. */
@ApplicationScoped
public class WorkerRuntime {
    private static final Logger LOG = Logger.getLogger(WorkerRuntime.class);

    @Inject
    WorkerSettings settings;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    KubernetesClient client;
    @Inject
    MeterRegistry registry;

    private volatile Worker worker;

    void start(@Observes StartupEvent event) {
        Worker w = new Worker(settings, dataSource, client, registry, Clock.systemUTC());
        worker = w;
        w.startWatching();
        w.startJobs();
        LOG.infof("worker started: %s, namespace %s", settings.common(), settings.common().kubernetesNamespace());
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.close();
        }
    }

    public Worker worker() {
        if (worker == null) {
            throw new IllegalStateException("the worker has not started yet");
        }
        return worker;
    }
}
