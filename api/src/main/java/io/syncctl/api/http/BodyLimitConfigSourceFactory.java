package io.syncctl.api.http;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Puts Quarkus' own body limit ({@code quarkus.http.limits.max-body-size}) 1 MiB above
 * {@code SYNCCTL_MAX_REQUEST_BYTES}, so that our {@link RequestBody} reader, which stops at the
 * configured limit, always answers first with the JSON 413 (Quarkus' answer has an empty body).
 * Quarkus' limit stays as the safety net for anything that does not read through us.
 */
public final class BodyLimitConfigSourceFactory implements ConfigSourceFactory {
    /** Above the shared SyncctlConfigSourceFactory (275), below system properties (400) and environment (300). */
    static final int ORDINAL = 280;
    static final long MARGIN = 1024 * 1024;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue v = context.getValue("SYNCCTL_MAX_REQUEST_BYTES");
        long limit = RequestBody.DEFAULT_LIMIT;
        if (v != null && v.getValue() != null && !v.getValue().isBlank()) {
            try {
                limit = Long.parseLong(v.getValue().trim());
            } catch (NumberFormatException e) {
                return List.of(); // Settings reports it by name at startup
            }
        }
        return List.of(new MapBackedConfigSource("syncctl-body-limit",
                Map.of("quarkus.http.limits.max-body-size", Long.toString(limit + MARGIN)), ORDINAL) {
        });
    }
}
