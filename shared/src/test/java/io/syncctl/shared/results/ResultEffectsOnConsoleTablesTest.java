package io.syncctl.shared.results;

import io.syncctl.shared.testing.ConsoleSchema;

import java.sql.Connection;

/** ResultEffects on the console's own tables: jsonb, no task_log.id default, no source_task.metrics/error. */
class ResultEffectsOnConsoleTablesTest extends ResultEffectsContract {
    @Override
    void createResultTables(Connection admin, String schema) throws Exception {
        ConsoleSchema.create(admin, schema);
    }
}
