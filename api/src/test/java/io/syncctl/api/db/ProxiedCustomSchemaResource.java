package io.syncctl.api.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.syncctl.shared.testing.TcpProxy;
import io.syncctl.api.support.TestDb;

import java.io.IOException;
import java.util.Map;

/** Runs the api against schema {@value #SCHEMA} (fresh each run) through a {@link TcpProxy} the test can cut. */
public class ProxiedCustomSchemaResource implements QuarkusTestResourceLifecycleManager {
    static final String SCHEMA = "syncctl_custom";
    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        TestDb.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        try {
            proxy = new TcpProxy(5432);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("SYNCCTL_DATABASE_URL",
                "postgresql://postgres@127.0.0.1:" + proxy.port() + "/syncctl_api_test?sslmode=disable&search_path=" + SCHEMA);
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
    }
}
