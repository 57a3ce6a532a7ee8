package io.syncctl.shared.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators configure syncctl only through {@code SYNCCTL_*} variables (CONTRACT section 5); Quarkus
 * extensions read {@code quarkus.*} properties. This factory derives the latter from the former, so
 * {@code SYNCCTL_DATABASE_URL} (libpq form) and {@code SYNCCTL_INTERNAL_SCHEMA} become the Agroal
 * datasource (search_path: result schema, then internal schema) and Flyway's schema, and
 * {@code SYNCCTL_HTTP_PORT} the HTTP port, {@code SYNCCTL_LOG_FORMAT=json} Quarkus' JSON console
 * logging (the api derives its body limit itself, in
 * BodyLimitConfigSourceFactory). It reads through the context, so a test profile that sets
 * {@code SYNCCTL_DATABASE_URL} as a config property is honoured exactly like the environment.
 * Malformed values are left out here; {@link Settings} reports them with one line at startup.
 */
public final class SyncctlConfigSourceFactory implements ConfigSourceFactory {
    /** Above application.properties (250), below system properties (400) and environment (300). */
    static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource("syncctl-settings", derive(context), ORDINAL) {
        });
    }

    static Map<String, String> derive(ConfigSourceContext context) {
        Map<String, String> out = new HashMap<>();
        String url = value(context, "SYNCCTL_DATABASE_URL");
        if (url != null) {
            try {
                DatabaseUrl db = DatabaseUrl.parse(url);
                String internal = value(context, "SYNCCTL_INTERNAL_SCHEMA");
                out.putAll(quarkusDatasource(db, internal == null ? Settings.DEFAULT_INTERNAL_SCHEMA : internal.trim()));
            } catch (IllegalArgumentException ignored) {
                // reported by Settings with the variable's name
            }
        }
        String format = value(context, LogFormat.SETTING);
        try {
            // application.properties turns JSON off (the extension's default is on); json turns it on
            out.put("quarkus.log.console.json.enabled", Boolean.toString(LogFormat.parse(format) == LogFormat.JSON));
        } catch (IllegalArgumentException ignored) {
            // reported by Settings with the variable's name
        }
        String port = value(context, "SYNCCTL_HTTP_PORT");
        if (port != null) {
            out.put("quarkus.http.port", port.trim());
        }
        return out;
    }

    /**
     * The Quarkus properties for one database URL: datasource, credentials and Flyway's schema. Every
     * pooled connection gets {@code search_path = <result schema>, <internal schema>}; Flyway manages
     * only the internal schema (the result tables are created by the console or by ResultSchema).
     */
    public static Map<String, String> quarkusDatasource(DatabaseUrl db, String internalSchema) {
        Map<String, String> out = new HashMap<>();
        out.put("quarkus.datasource.jdbc.url", db.jdbcUrl(internalSchema));
        if (db.user() != null) {
            out.put("quarkus.datasource.username", db.user());
        }
        if (db.password() != null) {
            out.put("quarkus.datasource.password", db.password());
        }
        out.put("quarkus.flyway.default-schema", internalSchema);
        out.put("quarkus.flyway.schemas", internalSchema);
        return out;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
