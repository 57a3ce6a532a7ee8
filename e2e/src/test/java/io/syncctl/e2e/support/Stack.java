package io.syncctl.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The whole product on this machine, as the tests see it: the local cluster, one api and two
 * workers as real processes (plus a spare api to kill), all on a fresh schema of database
 * {@code syncctl_e2e_test}. The sidecar and the synthetic source run as the local kubelet's pods.
 *
 * <p>Started once per test run (starting JVMs costs tens of seconds on a loaded machine) and
 * stopped when the JUnit session ends ({@link StopStackAfterTests}), process trees included. Test
 * classes stay independent by using their own sync ids, storage keys and destination tables.
 */
public final class Stack {
    public static final String SOURCE = "syncctl/source-synthetic";
    public static final String VERSION = "e2e";
    public static final String NAMESPACE = "default";
    /**
     * An Airbyte source that only answers {@code check}, as a shell script: for tests about many
     * tasks at once, where a JVM per source would only slow the machine down. The sidecar stays real.
     */
    public static final String CHECK_ONLY_SOURCE = "syncctl/source-check-ok";
    private static final String DATABASE = "syncctl_e2e_test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static Stack instance;

    private final Path repo;
    private final Path dir;
    private final String schema;
    private final Map<String, String> env;
    private final ManagedProcess cluster;
    private final Path kubeconfig;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final ManagedProcess[] workers = new ManagedProcess[2];
    private final int[] workerPorts = new int[2];
    private int restarts;
    private ManagedProcess api;
    private ManagedProcess spareApi;
    private URI apiUrl;
    private URI spareApiUrl;
    private PodLog pods;

    private Stack(Path repo, Path dir) {
        this.repo = repo;
        this.dir = dir;
        this.schema = "e2e_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        this.kubeconfig = dir.resolve("kubeconfig");
        Db.recreateSchema(Db.url(DATABASE, null), schema);
        deleteLogsOfEarlierRuns();
        this.env = settings();
        this.cluster = ManagedProcess.start("cluster", List.of(ManagedProcess.java(), "-jar",
                        jar("devkit/target/local-cluster.jar").toString(), "--kubeconfig", kubeconfig.toString(),
                        "--work-dir", dir.resolve("cluster").toString(), "--capacity", "8",
                        "--image", CHECK_ONLY_SOURCE + "=sh " + checkOnlySource()),
                Map.of(), logDir());
        processes.add(cluster);
    }

    /** The running stack, started on first use. */
    public static synchronized Stack get() {
        if (instance == null) {
            Path repo = Path.of(System.getProperty("syncctl.repo", "..")).toAbsolutePath().normalize();
            Path dir = Path.of(System.getProperty("syncctl.e2e.dir", "target/e2e")).toAbsolutePath().normalize();
            Stack stack = new Stack(repo, dir);
            instance = stack;
            try {
                stack.start();
            } catch (RuntimeException | Error e) {
                stopIfStarted();
                throw e;
            }
        }
        return instance;
    }

    static synchronized void stopIfStarted() {
        if (instance != null) {
            instance.stop();
            instance = null;
        }
    }

    private void start() {
        Await.until("the local cluster writes " + kubeconfig, START_TIMEOUT, () -> {
            requireAlive(cluster);
            return cluster.logText().contains("local cluster ready");
        });
        pods = PodLog.watch(kubeconfig, NAMESPACE);
        env.put("SYNCCTL_KUBERNETES_CLIENT_CONFIG", kubeconfig.toString());
        int apiPort = freePort();
        int sparePort = freePort();
        api = startApi("api", apiPort);
        spareApi = startApi("api-spare", sparePort);
        apiUrl = URI.create("http://127.0.0.1:" + apiPort);
        spareApiUrl = URI.create("http://127.0.0.1:" + sparePort);
        for (int i = 0; i < workers.length; i++) {
            workerPorts[i] = freePort();
            workers[i] = startWorker(i, Map.of());
        }
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> awaitHealthy(api, apiUrl.resolve("/health"))),
                CompletableFuture.runAsync(() -> awaitHealthy(spareApi, spareApiUrl.resolve("/health"))),
                CompletableFuture.runAsync(() -> awaitWorker(0)),
                CompletableFuture.runAsync(() -> awaitWorker(1))).join();
    }

    /** Settings every api and worker gets: short intervals so the suite stays quick. */
    private Map<String, String> settings() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SYNCCTL_DATABASE_URL", databaseUrl());
        e.put("SYNCCTL_INTERNAL_SCHEMA", internalSchema());
        e.put("SYNCCTL_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
        e.put("SYNCCTL_SIDECAR_IMAGE", "syncctl/sidecar:e2e");
        e.put("SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS", "2");
        e.put("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "25");
        e.put("SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS", "15");
        e.put("SYNCCTL_INSTANCE_ID", "e2e");
        return e;
    }

    private ManagedProcess startApi(String name, int port) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("SYNCCTL_HTTP_PORT", Integer.toString(port));
        ManagedProcess p = ManagedProcess.start(name, List.of(ManagedProcess.java(), "-Xmx256m", "-jar",
                jar("api/target/quarkus-app/quarkus-run.jar").toString()), e, logDir());
        processes.add(p);
        return p;
    }

    private ManagedProcess startWorker(int i, Map<String, String> overrides) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("SYNCCTL_HTTP_PORT", Integer.toString(workerPorts[i]));
        e.putAll(overrides);
        String name = "worker-" + (i + 1) + (restarts > 0 ? "." + restarts : "");
        ManagedProcess p = ManagedProcess.start(name, List.of(ManagedProcess.java(), "-Xmx384m", "-jar",
                jar("worker/target/quarkus-app/quarkus-run.jar").toString()), e, logDir());
        processes.add(p);
        return p;
    }

    private void awaitWorker(int i) {
        awaitHealthy(workers[i], URI.create("http://127.0.0.1:" + workerPorts[i] + "/q/health/ready"));
    }

    /** SIGKILL worker {@code i} (0 or 1) with everything it started. */
    public void killWorker(int i) {
        workers[i].kill();
    }

    /**
     * Replaces both workers (a dead one is just started again) by new processes with {@code overrides}
     * on top of the suite's settings, and waits until they are ready.
     */
    public synchronized void restartWorkers(Map<String, String> overrides) {
        restarts++;
        for (ManagedProcess w : workers) {
            if (w.isAlive()) {
                w.stop(Duration.ofSeconds(20));
            }
        }
        for (int i = 0; i < workers.length; i++) {
            workers[i] = startWorker(i, overrides);
        }
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> awaitWorker(0)),
                CompletableFuture.runAsync(() -> awaitWorker(1))).join();
    }

    public Api api() {
        return new Api(apiUrl);
    }

    /** The spare api process: a test may kill it. */
    public Api spareApi() {
        return new Api(spareApiUrl);
    }

    public ManagedProcess spareApiProcess() {
        return spareApi;
    }

    public PodLog pods() {
        return pods;
    }

    public Db db() {
        return new Db(Db.url(DATABASE, schema + "," + internalSchema()));
    }

    /** Database and credentials of a Postgres destination writing into schema {@code destinationSchema}. */
    public Map<String, Object> postgresDestination(String destinationSchema) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("destinationType", "postgres");
        d.put("host", "127.0.0.1");
        d.put("port", 5432);
        d.put("database", DATABASE);
        d.put("username", "postgres");
        d.put("password", "");
        d.put("defaultSchema", destinationSchema);
        d.put("sslMode", "disable");
        return d;
    }

    /** A destination schema name unique to this run. */
    public String destinationSchema(String suffix) {
        return schema + "_" + suffix;
    }

    public String schema() {
        return schema;
    }

    /** Our own tables (SYNCCTL_INTERNAL_SCHEMA): this run's, beside its result schema. */
    public String internalSchema() {
        return schema + "_internal";
    }

    /** The logs of every process, to attach to a failure. */
    public Path logDir() {
        return dir.resolve("logs");
    }

    private String databaseUrl() {
        return "postgresql://postgres@127.0.0.1:5432/" + DATABASE + "?sslmode=disable&search_path=" + schema;
    }

    private void stop() {
        if (pods != null) {
            pods.close();
        }
        // Workers and apis first, so nothing creates pods while the cluster stops them all.
        List<ManagedProcess> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().filter(p -> p != cluster).forEach(p -> p.stop(Duration.ofSeconds(15)));
        cluster.stop(Duration.ofSeconds(20));
    }

    private Path checkOnlySource() {
        try {
            Path script = Files.createDirectories(dir.resolve("bin")).resolve("source-check-ok");
            Files.writeString(script, """
                    case "$1" in
                      check) echo '{"type":"LOG","log":{"level":"INFO","message":"checking"}}'
                             echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
                      *) echo "source-check-ok: only check is supported" >&2; exit 1 ;;
                    esac
                    """);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteLogsOfEarlierRuns() {
        try (var logs = Files.list(Files.createDirectories(logDir()))) {
            for (Path log : logs.toList()) {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path jar(String relative) {
        Path p = repo.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " is missing: build first (./mvnw -DskipTests package)");
        }
        return p;
    }

    private static void awaitHealthy(ManagedProcess p, URI health) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Await.until(p.name() + " to answer " + health, START_TIMEOUT, () -> {
            requireAlive(p);
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static void requireAlive(ManagedProcess p) {
        if (!p.isAlive()) {
            throw new IllegalStateException(p + " exited; its log ends with:\n" + tail(p.logText(), 40));
        }
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
