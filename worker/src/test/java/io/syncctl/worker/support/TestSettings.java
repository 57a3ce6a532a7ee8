package io.syncctl.worker.support;

import io.syncctl.worker.WorkerSettings;

import java.util.HashMap;
import java.util.Map;

/** Worker settings as an operator would write them, for tests that need no application. */
public final class TestSettings {
    public static final String DB_PASSWORD = "s3cr3t-db-pass";
    public static final String SIDECAR_DB_URL = "postgresql://syncctl:" + DB_PASSWORD + "@db.internal:5432/app?search_path=bulker";

    private TestSettings() {
    }

    public static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SYNCCTL_DATABASE_URL", "postgresql://syncctl:" + DB_PASSWORD + "@127.0.0.1:5432/app?search_path=bulker");
        env.put("SYNCCTL_SIDECAR_DATABASE_URL", SIDECAR_DB_URL);
        env.put("SYNCCTL_PAYLOAD_KEY", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        env.put("SYNCCTL_SIDECAR_IMAGE", "jitsucom/sidecar:1.2");
        env.put("SYNCCTL_INSTANCE_ID", "test");
        env.put("SYNCCTL_KUBERNETES_NAMESPACE", "syncs");
        return env;
    }

    public static WorkerSettings settings(String... overrides) {
        Map<String, String> env = env();
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return WorkerSettings.from(env);
    }
}
