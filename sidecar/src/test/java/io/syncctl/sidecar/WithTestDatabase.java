package io.syncctl.sidecar;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Process tests against a fresh, migrated schema of syncctl_sidecar_test, dropped after the class. */
abstract class WithTestDatabase {
    static TestDb db;

    @BeforeAll
    static void createDatabase() {
        db = new TestDb();
    }

    @AfterAll
    static void dropDatabase() {
        db.drop();
    }
}
