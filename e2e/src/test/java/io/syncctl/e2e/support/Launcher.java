package io.syncctl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./syncctl} launcher as a user runs it, from the repository root, with its own stack
 * settings: a state directory under target/, free ports, and result, internal and destination
 * schemas of the test database named after {@code name}. Nothing of the suite's {@link Stack} is used.
 */
public final class Launcher {
    private static final Path REPO = Path.of(System.getProperty("syncctl.repo", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("syncctl.e2e.dir", "target/e2e")).toAbsolutePath().normalize();

    private final String name;
    private final String schema;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final int port;

    /** What one finished run printed. */
    public record Run(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    public Launcher(String name) {
        this.name = name;
        this.schema = Stack.runSchema() + "_" + name;
        this.port = freePortRun(3);
        env.put("SYNCCTL_DEMO_DIR", stateDir().toString());
        env.put("SYNCCTL_DATABASE_URL", Stack.databaseUrl(schema));
        env.put("SYNCCTL_INTERNAL_SCHEMA", schema + "_internal");
        env.put("SYNCCTL_DEMO_DESTINATION_SCHEMA", destinationSchema());
        env.put("SYNCCTL_HTTP_PORT", Integer.toString(port));
        env.put("SYNCCTL_DASHBOARD_PORT", Integer.toString(freePortRun(1)));
        // Not a product setting: on the shared, overloaded test machine the first database connection
        // of a starting JVM can take longer than the 3 s the services allow by default.
        env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "30S");
        Path javaHome = Path.of(ManagedProcess.java()).getParent().getParent();
        env.put("JAVA_HOME", javaHome.toString());
    }

    public Path repo() {
        return REPO;
    }

    public Path stateDir() {
        return DIR.resolve("launcher").resolve(name);
    }

    public String destinationSchema() {
        return schema + "_dest";
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The result tables of this launcher's stack. */
    public Db db() {
        return new Db(Db.url(Stack.DATABASE, schema));
    }

    /** Runs {@code ./syncctl args...} to its end (killed with its children after {@code timeout}). */
    public Run run(Duration timeout, String... args) {
        try {
            Path logs = Files.createDirectories(DIR.resolve("logs"));
            String stamp = name + "-" + System.nanoTime();
            Path out = logs.resolve("syncctl-" + stamp + ".out");
            Path err = logs.resolve("syncctl-" + stamp + ".err");
            ProcessBuilder pb = new ProcessBuilder(command(args)).directory(REPO.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("SYNCCTL_"));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                tree.add(p.toHandle());
                tree.forEach(ProcessHandle::destroyForcibly);
                throw new AssertionError("./syncctl " + String.join(" ", args) + " still running after "
                        + timeout.toSeconds() + " s; its output:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts {@code ./syncctl args...} in the background (output in target/e2e/logs/NAME.log). */
    public ManagedProcess start(String... args) {
        return ManagedProcess.start(name, command(args), env, DIR.resolve("logs"), REPO);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("syncctl").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The first of {@code n} consecutive free ports (api, then the two workers' ports after it). */
    private static int freePortRun(int n) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
                first = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (first + n - 1 > 65535) {
                continue;
            }
            boolean free = true;
            for (int i = 1; i < n && free; i++) {
                try (ServerSocket s = new ServerSocket(first + i, 0, java.net.InetAddress.getLoopbackAddress())) {
                    free = s.getLocalPort() == first + i;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports");
    }
}
