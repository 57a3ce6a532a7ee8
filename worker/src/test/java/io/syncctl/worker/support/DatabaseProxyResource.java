package io.syncctl.worker.support;

import io.syncctl.shared.testing.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts the {@link TcpProxy} before the application and points SYNCCTL_DATABASE_URL through it. */
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
        return Map.of("SYNCCTL_DATABASE_URL", "postgresql://postgres@127.0.0.1:" + proxy.port() + "/syncctl_worker_test");
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
