package io.syncctl.api.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.syncctl.shared.config.Settings;
import io.syncctl.shared.jobs.SchemaSetup;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Prepares both schemas before anything else at startup (observer priority 1, before the job queue):
 * moves an old installation's tables out of the result schema, migrates the internal schema (Flyway
 * runs here, not at Quarkus start, so the move comes first), and creates missing result tables.
 */
@ApplicationScoped
public class SchemaStartup {
    private static final Logger LOG = Logger.getLogger(SchemaStartup.class);

    void prepare(@Observes @Priority(1) StartupEvent event, AgroalDataSource pool, Flyway flyway, Settings settings) {
        String results = settings.databaseUrl().schema();
        SchemaSetup.Report report = SchemaSetup.prepare(pool, results, settings.internalSchema(), flyway::migrate);
        LOG.info(report.summary(results, settings.internalSchema()));
        report.warning(results, settings.internalSchema()).ifPresent(LOG::warn);
    }
}
