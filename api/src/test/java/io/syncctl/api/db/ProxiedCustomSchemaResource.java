package io.syncctl.api.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.syncctl.shared.testing.TcpProxy;
import io.syncctl.api.support.TestDb;
import io.syncctl.shared.testing.TestSchemas;

import java.io.IOException;
import java.util.Map;

/**
 * Runs the api against result schema {@link #SCHEMA} and internal schema {@link #INTERNAL} (fresh, this
 * JVM's own) through a {@link TcpProxy} the test can cut.
 */
public class ProxiedCustomSchemaResource implements QuarkusTestResourceLifecycleManager {
    static final String SCHEMA = TestSchemas.named("custom");
    static final String INTERNAL = TestSchemas.named("custom_internal");
    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        TestDb.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        TestDb.execute("DROP SCHEMA IF EXISTS " + INTERNAL + " CASCADE");
        try {
            proxy = new TcpProxy(5432);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("SYNCCTL_DATABASE_URL",
                "postgresql://postgres@127.0.0.1:" + proxy.port() + "/syncctl_api_test?sslmode=disable&search_path=" + SCHEMA,
                "SYNCCTL_INTERNAL_SCHEMA", INTERNAL);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        TestDb.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        TestDb.execute("DROP SCHEMA IF EXISTS " + INTERNAL + " CASCADE");
    }
}
