package io.syncctl.api.config;

import io.syncctl.shared.config.Settings;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.task.TaskStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * The typed settings for the rest of the api. They come from the same place Quarkus reads its own
 * configuration (the environment, and in tests a profile's overrides), so a test can change
 * {@code SYNCCTL_AUTH_TOKENS} the way an operator would.
 */
public final class SettingsProducer {

    @Produces
    @Singleton
    Settings settings(Config config) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(Settings.PREFIX)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> env.put(name, v));
            }
        }
        return Settings.from(env, Settings.Role.API);
    }

    @Produces
    @Singleton
    TaskStore taskStore(Settings settings) {
        return new TaskStore(new PayloadCipher(settings.payloadKey(), settings.payloadKeysOld()));
    }
}
