package io.syncctl.worker.support;

import io.syncctl.shared.testing.TcpProxy;
import io.syncctl.shared.testing.TestSchemas;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts the {@link TcpProxy} before the application and points SYNCCTL_DATABASE_URL through it, at this
 * JVM's own result and internal schemas ({@link TestSchemas}): other people's suites use the same test
 * database at the same time.
 */
public final class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager {
    private static volatile TcpProxy proxy;

    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        try {
            proxy = new TcpProxy(5432);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        TestSchemas.dropOnExit("jdbc:postgresql://127.0.0.1:5432/syncctl_worker_test");
        return Map.of("SYNCCTL_DATABASE_URL", databaseUrl(), "SYNCCTL_INTERNAL_SCHEMA", TestSchemas.internal());
    }

    /** The URL the application gets (through the proxy, on this JVM's schemas). */
    public static String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:" + proxy.port() + "/syncctl_worker_test?search_path=" + TestSchemas.results();
    }

    @Override
    public void stop() {
        try {
            proxy.close();
        } catch (Exception ignored) {
            // test JVM ends
        }
    }
}
