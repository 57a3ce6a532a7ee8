package io.syncctl.shared.jobs;

import io.syncctl.shared.results.ResultSchema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the api and the worker do to the database at startup, before anything else touches it, in
 * this order and under one PostgreSQL advisory lock (several replicas may start at once; the others
 * wait and then find nothing to do):
 * <ol>
 *   <li>create the internal schema if it is missing;</li>
 *   <li>upgrade an installation of the old layout: move our tables out of the result schema
 *       ({@link InternalSchema#adoptOldLayout});</li>
 *   <li>run our migrations (Flyway, on the internal schema only; the caller passes them in);</li>
 *   <li>create the result tables that do not exist ({@link ResultSchema#createMissing}).</li>
 * </ol>
 * JobRunr's tables are prepared afterwards by {@link JobRunrStorage#open}, in the internal schema.
 * The lock is a session lock on its own connection: released when that closes, also if we die.
 */
public final class SchemaSetup {
    static final String LOCK = "SELECT pg_advisory_lock(hashtext('syncctl.schema-setup'))";
    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('syncctl.schema-setup'))";

    /** Our migrations of the internal schema (Flyway's {@code migrate()} in the services). */
    @FunctionalInterface
    public interface Migration {
        void migrate() throws Exception;
    }

    /**
     * What startup changed, for the log.
     *
     * @param moved        relations moved from the result schema into the internal one (an upgrade)
     * @param created      result tables created because nobody had
     * @param leftBehind   old internal tables still in the result schema that were not moved because
     *                     the internal schema already has its own (to be looked at by an operator)
     */
    public record Report(List<String> moved, List<String> created, List<String> leftBehind) {

        /** What startup did, in one line for the api's and the worker's log. */
        public String summary(String results, String internal) {
            return "schemas ready: results in " + results + ", our tables in " + internal
                    + (moved.isEmpty() ? "" : "; upgrade moved " + moved + " from " + results)
                    + (created.isEmpty() ? "" : "; created result tables " + created);
        }

        /** The operator's to-do when an old installation's tables were left in the result schema. */
        public java.util.Optional<String> warning(String results, String internal) {
            return leftBehind.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("schema " + results
                    + " still holds old tables of ours " + leftBehind + " while " + internal + " has its own: the result"
                    + " schema comes first in the search path, so stop every old worker and drop them (the console's"
                    + " next schema push drops them too)");
        }
    }

    private SchemaSetup() {
    }

    public static Report prepare(DataSource dataSource, String resultSchema, String internalSchema, Migration migration) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute(LOCK);
            }
            try {
                ResultSchema.createSchemaIfMissing(c, internalSchema);
                InternalSchema.Adoption adoption = InternalSchema.adoptOldLayout(c, resultSchema, internalSchema);
                migration.migrate();
                List<String> created = ResultSchema.createMissing(c, resultSchema);
                return new Report(adoption.moved(), created, adoption.leftBehind());
            } finally {
                try (Statement st = c.createStatement()) {
                    st.execute(UNLOCK);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the schemas " + resultSchema + " (results) and "
                    + internalSchema + " (internal): SQL state " + e.getSQLState() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot migrate the internal schema " + internalSchema + ": " + e.getMessage(), e);
        }
    }
}
