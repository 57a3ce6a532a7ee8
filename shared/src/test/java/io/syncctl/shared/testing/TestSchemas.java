package io.syncctl.shared.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Schema names for tests. Several people run the same suites against the same test databases at the
 * same time, so every test JVM works in its own pair of schemas (result schema, internal schema),
 * never in {@code public} or the default {@code syncctl}. The pair lives in system properties, so every
 * class loader of the JVM (Quarkus tests have two) sees the same one.
 */
public final class TestSchemas {
    private TestSchemas() {
    }

    /** A fresh lower-case schema name starting with {@code prefix}. */
    public static String random(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** This JVM's result schema. */
    public static String results() {
        return shared("syncctl.test.results-schema", "tr_");
    }

    /** This JVM's internal schema. */
    public static String internal() {
        return shared("syncctl.test.internal-schema", "ti_");
    }

    /** A schema name for one purpose (a test profile's own schema), the same in every class loader of the JVM. */
    public static String named(String purpose) {
        return shared("syncctl.test.schema." + purpose, purpose + "_");
    }

    /** {@code results,internal}: the search_path the services use, for the tests' own connections. */
    public static String searchPath() {
        return results() + "," + internal();
    }

    /** Drops this JVM's schemas (also those of {@link #named}) when it exits (best effort; the database may be gone by then). */
    public static void dropOnExit(String jdbcUrl) {
        String key = "syncctl.test.drop-hook." + jdbcUrl;
        synchronized (System.getProperties()) {
            if (System.getProperty(key) != null) {
                return;
            }
            System.setProperty(key, "1");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<String> schemas = new java.util.ArrayList<>(List.of(results(), internal()));
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("syncctl.test.schema."))
                    .map(System::getProperty).forEach(schemas::add);
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("SET lock_timeout = '5s'");
                for (String s : schemas) {
                    st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
                }
            } catch (Exception ignored) {
                // best effort
            }
        }));
    }

    private static String shared(String property, String prefix) {
        synchronized (System.getProperties()) {
            String v = System.getProperty(property);
            if (v == null) {
                v = random(prefix);
                System.setProperty(property, v);
            }
            return v;
        }
    }
}
