package io.syncctl.shared.jobs;

import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * JobRunr's PostgreSQL storage as api (JobScheduler) and worker (BackgroundJobServer) both use it.
 *
 * <p><b>Where the tables live.</b> JobRunr's tables keep their own names ({@code jobrunr_jobs},
 * {@code jobrunr_migrations}, ...) and live in the internal schema (SYNCCTL_INTERNAL_SCHEMA, default
 * {@code syncctl}), never in the result schema, where the Jitsu console's {@code prisma db push}
 * would drop them. They are always schema-qualified through the table prefix {@code "<schema>."}.
 * Qualifying matters: JobRunr decides whether its tables exist by scanning table names in all
 * schemas, so without a schema an installation in schema {@code a} would make one in schema {@code b}
 * of the same database skip its migrations.
 *
 * <p><b>Several replicas starting at once.</b> JobRunr's own migration lock is a row it inserts and
 * polls, which can leave a stale lock behind and lets two starters race on the first migration. We
 * run JobRunr's migrations ({@link DatabaseOptions#CREATE}) while holding a PostgreSQL session
 * advisory lock on a separate connection: one replica migrates, the others wait and then find
 * nothing to do. The lock is released when the connection closes, also if the process dies.
 *
 * <p>JSON: always a fresh {@link JacksonJsonMapper}, which builds its own ObjectMapper (handing it
 * Quarkus' mapper would reconfigure the mapper the REST layer uses).
 */
public final class JobRunrStorage {
    private static final Pattern SIMPLE_SCHEMA = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    private static final String MIGRATION_LOCK = "SELECT pg_advisory_lock(hashtext('syncctl.jobrunr-migrations'))";

    private JobRunrStorage() {
    }

    /** The JSON mapper to give JobRunr (the worker's BackgroundJobServer needs one too). */
    public static JsonMapper jsonMapper() {
        return new JacksonJsonMapper();
    }

    /** JobRunr's table prefix for a schema: {@code "bulker."} puts {@code bulker.jobrunr_jobs} etc. there. */
    public static String tablePrefix(String schema) {
        if (schema == null || !SIMPLE_SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name '" + schema
                    + "' cannot hold the job queue: use a lower-case unquoted identifier (SYNCCTL_INTERNAL_SCHEMA)");
        }
        return schema + ".";
    }

    /**
     * Builds the storage provider on {@code dataSource}, creating or upgrading JobRunr's tables in
     * {@code schema} (the internal schema) first under a database-wide lock.
     *
     * @param lockDataSource where the advisory lock connection comes from (the plain pool; may be the same as dataSource)
     */
    public static PostgresStorageProvider open(DataSource dataSource, DataSource lockDataSource, String schema) {
        String prefix = tablePrefix(schema);
        try (Connection lock = lockDataSource.getConnection()) {
            lock.setAutoCommit(true);
            try (Statement st = lock.createStatement()) {
                st.execute(MIGRATION_LOCK);
            }
            try {
                PostgresStorageProvider provider = new PostgresStorageProvider(dataSource, prefix, DatabaseOptions.CREATE);
                provider.setJobMapper(new JobMapper(jsonMapper()));
                return provider;
            } finally {
                try (PreparedStatement st = lock.prepareStatement("SELECT pg_advisory_unlock(hashtext('syncctl.jobrunr-migrations'))")) {
                    st.execute();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare JobRunr's tables in schema " + schema + ": " + e.getMessage(), e);
        }
    }

    public static PostgresStorageProvider open(DataSource dataSource, String schema) {
        return open(dataSource, dataSource, schema);
    }
}
