package io.syncctl.shared.results;

import io.syncctl.shared.testing.ConsoleSchema;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ResultTables on the console's own tables: jsonb, no task_log.id default, no source_task.metrics/error. */
class ResultTablesOnConsoleTablesTest extends ResultTablesContract {
    @Override
    void createResultTables(Connection admin, String schema) throws Exception {
        ConsoleSchema.create(admin, schema);
    }

    @Test
    void aFinishedReadIsWrittenWithoutTheColumnsTheConsoleDoesNotHave() throws Exception {
        ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued");
        assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.FAILED, "{\"users\":{\"status\":\"FAILED\"}}", "boom", "{\"rows\":1}"));
        assertEquals(List.of("FAILED"), rows("SELECT status FROM source_task"));
        assertEquals(List.of("jsonb"), rows("SELECT data_type FROM information_schema.columns WHERE table_schema = '" + results
                + "' AND table_name = 'source_task' AND column_name = 'started_by'"));
    }

    @Test
    void metricsAndErrorAreWrittenOnceANewerConsoleAddsThem() throws Exception {
        ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued");
        exec("ALTER TABLE source_task ADD COLUMN metrics JSONB, ADD COLUMN error TEXT");
        try {
            assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.PARTIAL, "{}", "one stream failed", "{\"rows\":7}"));
            assertEquals(List.of("one stream failed"), rows("SELECT error FROM source_task"));
            assertJson("{\"rows\":7}", one("SELECT metrics::text FROM source_task"));
        } finally {
            exec("ALTER TABLE source_task DROP COLUMN metrics, DROP COLUMN error");
        }
    }
}
