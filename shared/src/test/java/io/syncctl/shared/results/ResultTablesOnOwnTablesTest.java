package io.syncctl.shared.results;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ResultTables on the tables ResultSchema creates when nobody did (with source_task.metrics and error). */
class ResultTablesOnOwnTablesTest extends ResultTablesContract {
    @Override
    void createResultTables(Connection admin, String schema) throws Exception {
        assertEquals(ResultSchema.tableNames(), ResultSchema.createMissing(admin, schema));
        assertEquals(List.of(), ResultSchema.createMissing(admin, schema), "a second start creates nothing");
    }

    @Test
    void aFinishedReadKeepsItsMetricsAndFirstError() throws Exception {
        ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued");
        assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.FAILED, "{}", "stream users failed", "{\"rows\":12}"));
        assertEquals(List.of("FAILED|stream users failed"), rows("SELECT status || '|' || error FROM source_task"));
        assertJson("{\"rows\":12}", one("SELECT metrics::text FROM source_task"));

        ResultTables.readAccepted(c, "sync2", "t2", "src", "1.0", null, "queued");
        exec("UPDATE source_task SET status = 'CANCELLED', error = 'cancelled by the user' WHERE task_id = 't2'");
        assertTrue(ResultTables.readCancelledStatistics(c, "t2", "{}", "stream cut", "{\"rows\":2}"));
        assertEquals(List.of("CANCELLED|cancelled by the user"), rows("SELECT status || '|' || error FROM source_task WHERE task_id = 't2'"));
        assertJson("{\"rows\":2}", one("SELECT metrics::text FROM source_task WHERE task_id = 't2'"));
    }

    @Test
    void aColumnDroppedWhileRunningIsNoLongerWritten() throws Exception {
        ResultTables.readAccepted(c, "sync1", "t1", "src", "1.0", null, "queued");
        ResultTables.readAccepted(c, "sync2", "t2", "src", "1.0", null, "queued");
        assertTrue(ResultTables.readFinished(c, "t1", ReadStatus.SUCCESS, "{}", null, "{\"rows\":1}"));
        exec("ALTER TABLE source_task DROP COLUMN metrics"); // a console's schema push, while we run
        try {
            c.setAutoCommit(false);
            assertTrue(ResultTables.readFinished(c, "t2", ReadStatus.FAILED, "{}", "boom", "{\"rows\":2}"));
            c.commit();
        } finally {
            c.setAutoCommit(true);
            exec("ALTER TABLE source_task ADD COLUMN metrics JSONB");
        }
        assertEquals(List.of("FAILED|boom"), rows("SELECT status || '|' || error FROM source_task WHERE task_id = 't2'"));
    }
}
