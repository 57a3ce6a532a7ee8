package io.syncctl.worker;

import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.syncctl.shared.jobs.SchemaSetup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Starts the application's one {@link Worker} once Quarkus is up and stops it on shutdown. Before the
 * worker starts, the schemas are prepared as the api does it ({@link SchemaSetup}: an old installation's
 * tables moved to the internal schema, Flyway on the internal schema, missing result tables created).
 */
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
    @Inject
    Flyway flyway;

    private volatile Worker worker;

    void start(@Observes StartupEvent event) {
        String results = settings.common().databaseUrl().schema();
        String internal = settings.common().internalSchema();
        SchemaSetup.Report report = SchemaSetup.prepare(dataSource, results, internal, flyway::migrate);
        LOG.info(report.summary(results, internal));
        report.warning(results, internal).ifPresent(LOG::warn);
        settings.sidecarDatabaseWarning().ifPresent(LOG::warn);
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
