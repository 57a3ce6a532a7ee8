package io.syncctl.api.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.syncctl.shared.testing.TestSchemas;

import java.util.Map;

/**
 * Every Quarkus test of the api runs on this JVM's own result and internal schemas
 * ({@link TestSchemas}), never on {@code public}/{@code syncctl} of the shared test database, where
 * other people's suites run at the same time (and an api starting there would move their tables).
 * Global (annotated here, not restricted); a profile with its own database disables global resources.
 */
@QuarkusTestResource(TestSchemasResource.class)
public class TestSchemasResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestSchemas.dropOnExit(TestDb.JDBC);
        return Map.of("SYNCCTL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/syncctl_api_test?sslmode=disable&search_path="
                        + TestSchemas.results(),
                "SYNCCTL_INTERNAL_SCHEMA", TestSchemas.internal());
    }

    @Override
    public void stop() {
    }
}
