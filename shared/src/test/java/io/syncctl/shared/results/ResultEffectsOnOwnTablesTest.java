package io.syncctl.shared.results;

import java.sql.Connection;

/** ResultEffects on the tables ResultSchema creates when nobody did. */
class ResultEffectsOnOwnTablesTest extends ResultEffectsContract {
    @Override
    void createResultTables(Connection admin, String schema) throws Exception {
        ResultSchema.createMissing(admin, schema);
    }
}
