package io.syncctl.shared.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test helper that plays {@code prisma db push --accept-data-loss} (the e2e ConsoleTest relies on
 * it to find what a product left in the console's schema): it must drop and restore exactly what
 * Prisma would. Database only, no processes.
 */
class SchemaPushTest {
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/syncctl_shared_test?user=postgres";
    private String schema;
    private Connection c;

    @BeforeEach
    void consoleTables() throws SQLException {
        schema = TestSchemas.random("push_");
        c = DriverManager.getConnection(JDBC);
        ConsoleSchema.create(c, schema);
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        c.close();
    }

    @Test
    void aSchemaAsPrismaCreatesItNeedsNoChange() throws SQLException {
        assertEquals(List.of(), SchemaPush.push(c, schema));
    }

    @Test
    void everythingTheModelDoesNotHaveIsDroppedAndWhatItHasIsRestored() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path = " + schema);
            st.execute("CREATE TABLE syncctl_task (id BIGSERIAL PRIMARY KEY, payload BYTEA)");
            st.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY)");
            st.execute("ALTER TABLE source_task ADD COLUMN metrics JSONB, ADD COLUMN error TEXT");
            st.execute("ALTER TABLE task_log ALTER COLUMN id SET DEFAULT gen_random_uuid()");
            st.execute("CREATE INDEX source_check_status_idx ON source_check (status)");
            st.execute("ALTER TABLE source_state ADD CONSTRAINT source_state_state_object CHECK (jsonb_typeof(state) = 'object')");
            st.execute("ALTER TABLE source_spec ALTER COLUMN specs TYPE JSON");
            st.execute("ALTER TABLE source_catalog ALTER COLUMN status DROP NOT NULL");
            st.execute("DROP INDEX task_log_task_id_idx");
            st.execute("INSERT INTO source_task (sync_id, task_id, package, version, status, metrics) VALUES ('s', 't', 'p', 'v', 'SUCCESS', '{}')");
            st.execute("RESET search_path");
        }
        List<String> changes = SchemaPush.push(c, schema);
        String all = String.join("\n", changes);
        for (String expected : List.of("DROP TABLE \"" + schema + "\".\"syncctl_task\"", "DROP TABLE \"" + schema + "\".\"flyway_schema_history\"",
                "DROP COLUMN \"metrics\"", "DROP COLUMN \"error\"", "ALTER COLUMN \"id\" DROP DEFAULT", "DROP INDEX \"" + schema + "\".\"source_check_status_idx\"",
                "DROP CONSTRAINT \"source_state_state_object\"", "ALTER COLUMN \"specs\" TYPE jsonb", "ALTER COLUMN \"status\" SET NOT NULL",
                "task_log_task_id_idx")) {
            assertTrue(all.contains(expected), expected + " missing from:\n" + all);
        }
        assertEquals(10, changes.size(), all);
        assertEquals(List.of(), SchemaPush.push(c, schema), "a second push changes nothing");
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status FROM " + schema + ".source_task WHERE task_id = 't'")) {
            assertTrue(rs.next(), "the console's rows stay");
        }
    }
}
