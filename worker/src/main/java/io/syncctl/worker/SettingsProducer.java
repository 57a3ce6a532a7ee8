package io.syncctl.worker;

import io.syncctl.shared.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker's settings as CDI beans. They come from the environment; SYNCCTL_* config properties
 * (a test profile, a system property) are read the same way, so tests configure the worker exactly
 * as operators do.
 */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    @Singleton
    WorkerSettings workerSettings(Config config) {
        return WorkerSettings.from(syncctlVariables(config));
    }

    @Produces
    @Singleton
    Settings settings(WorkerSettings worker) {
        return worker.common();
    }

    static Map<String, String> syncctlVariables(Config config) {
        Map<String, String> env = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(Settings.PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> env.put(name, v));
            }
        }
        return env;
    }
}
