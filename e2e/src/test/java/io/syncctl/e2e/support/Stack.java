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
 * The whole product on this machine, as the tests see it: one api and two workers as real processes
 * (plus, for the suite's own deployment, a spare api to kill) on the local cluster, against database
 * {@code syncctl_e2e_test}. The sidecar and the synthetic source run as the local kubelet's pods.
 *
 * <p>The suite's deployment ({@link #get()}) keeps its result tables in a fresh schema
 * {@code e2e_<MMddHHmmss>} and its own tables in {@code <that>_internal}. Other deployments (the
 * console's, {@link #start(Deployment)}) share the cluster and are stopped by their test.
 *
 * <p>Started once per test run (starting JVMs costs tens of seconds on a loaded machine) and
 * stopped when the JUnit session ends ({@link StopStackAfterTests}), process trees included. Test
 * classes stay independent by using their own sync ids, storage keys and destination tables.
 */
public final class Stack implements AutoCloseable {
    public static final String SOURCE = "syncctl/source-synthetic";
    public static final String VERSION = "e2e";
    public static final String NAMESPACE = "default";
    /** A source image that only answers {@code check} (a shell script; see {@link LocalCluster}). */
    public static final String CHECK_ONLY_SOURCE = "syncctl/source-check-ok";
    /** The synthetic source, in pods whose sidecar exits at once (the cluster's {@code --fault sidecar-exits}). */
    public static final String SIDECAR_EXITS_SOURCE = "syncctl/source-sidecar-exits";
    /** A source image whose container never starts (the cluster's {@code --fault never-starts}). */
    public static final String NEVER_STARTS_SOURCE = "syncctl/source-never-starts";
    /** A source that reports every file and variable it can see (see {@link LocalCluster}). */
    public static final String SNOOPING_SOURCE = "syncctl/source-snoop";
    /** {@code -Dsyncctl.e2e.database=...}: another database, so suites run at once do not drop each other's schemas. */
    public static final String DATABASE = System.getProperty("syncctl.e2e.database", "syncctl_e2e_test");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final Path REPO = Path.of(System.getProperty("syncctl.repo", "..")).toAbsolutePath().normalize();
    private static final Path DIR = Path.of(System.getProperty("syncctl.e2e.dir", "target/e2e")).toAbsolutePath().normalize();
    private static String runSchema;
    private static LocalCluster cluster;
    private static Stack instance;
    private static final List<Stack> started = new ArrayList<>();

    /**
     * What differs between deployments: {@code name} prefixes process and log names, {@code resultSchema}
     * is where clients poll results, {@code internalSchema} where our own tables live, {@code settings}
     * go on top of the common ones (the database URL among them).
     */
    public record Deployment(String name, String resultSchema, String internalSchema, boolean spareApi,
                             Map<String, String> settings, OwnCluster ownCluster) {
        public Deployment(String name, String resultSchema, String internalSchema, boolean spareApi,
                          Map<String, String> settings) {
            this(name, resultSchema, internalSchema, spareApi, settings, null);
        }
    }

    /**
     * A local cluster for one deployment alone (null: the shared one): {@code capacity} pods at once,
     * {@code arguments} on top (e.g. {@code --lost-node-image}); stopped with the deployment.
     */
    public record OwnCluster(int capacity, List<String> arguments) {
    }

    private final Deployment deployment;
    private final Map<String, String> env;
    /** This deployment's own cluster, or null for the shared one. */
    private LocalCluster ownCluster;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final ManagedProcess[] workers = new ManagedProcess[2];
    private final int[] workerPorts = new int[2];
    private int restarts;
    private ManagedProcess api;
    private ManagedProcess spareApi;
    private URI apiUrl;
    private URI spareApiUrl;

    private Stack(Deployment deployment) {
        this.deployment = deployment;
        this.env = settings(deployment);
    }

    /** The suite's own deployment, started on first use. */
    public static synchronized Stack get() {
        if (instance == null) {
            String schema = runSchema();
            instance = start(new Deployment("", schema, schema + "_internal", true,
                    Map.of("SYNCCTL_DATABASE_URL", databaseUrl(schema))));
        }
        return instance;
    }

    /**
     * Starts another deployment on the shared cluster; the caller stops it ({@link #close()}), or the
     * end of the test session does.
     */
    public static synchronized Stack start(Deployment deployment) {
        if (deployment.ownCluster() == null) {
            ensureCluster();
        } else {
            runSchema();
        }
        Stack stack = new Stack(deployment);
        started.add(stack);
        try {
            if (deployment.ownCluster() != null) {
                OwnCluster own = deployment.ownCluster();
                stack.ownCluster = LocalCluster.start(deployment.name() + "cluster", jar("devkit/target/local-cluster.jar"),
                        DIR.resolve(deployment.name() + "cluster"), logDirectory(), START_TIMEOUT, own.capacity(), own.arguments());
            }
            stack.startProcesses();
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    static synchronized void stopIfStarted() {
        for (Stack s : List.copyOf(started)) {
            s.close();
        }
        instance = null;
        if (cluster != null) {
            cluster.stop();
            cluster = null;
        }
    }

    /** This run's schema name, {@code e2e_<MMddHHmmss>}; the schemas of earlier runs are dropped once. */
    public static synchronized String runSchema() {
        if (runSchema == null) {
            String schema = "e2e_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
            Db.recreateSchema(Db.url(DATABASE, null), schema);
            deleteLogsOfEarlierRuns();
            runSchema = schema;
        }
        return runSchema;
    }

    /**
     * A fresh, empty schema {@code e2e<name>_<MMddHHmmss>} for a deployment of its own; earlier runs'
     * schemas of that name are dropped, no other (the suite's own schemas stay, and so do other runs').
     */
    public static String freshSchema(String name) {
        String prefix = "e2e" + name;
        String schema = prefix + runSchema().substring("e2e".length());
        Db.recreateSchema(Db.url(DATABASE, null), prefix, schema);
        return schema;
    }

    /** The libpq URL of the test database with {@code search_path} = {@code schema}, as an operator writes it. */
    public static String databaseUrl(String schema) {
        return "postgresql://postgres@127.0.0.1:5432/" + DATABASE + "?sslmode=disable&search_path=" + schema;
    }

    /** The command the local cluster runs for the synthetic source image. */
    static String syntheticSourceCommand() {
        return REPO.resolve("devkit/bin/source-synthetic").toString();
    }

    private static void ensureCluster() {
        if (cluster == null) {
            runSchema();
            cluster = LocalCluster.start(jar("devkit/target/local-cluster.jar"), DIR, logDirectory(), START_TIMEOUT);
        }
    }

    private void startProcesses() {
        env.put("SYNCCTL_KUBERNETES_CLIENT_CONFIG", cluster().kubeconfig().toString());
        int apiPort = freePort();
        api = startApi(deployment.name() + "api", apiPort);
        apiUrl = URI.create("http://127.0.0.1:" + apiPort);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        ready.add(CompletableFuture.runAsync(() -> awaitHealthy(api, apiUrl.resolve("/health"))));
        if (deployment.spareApi()) {
            int sparePort = freePort();
            spareApi = startApi(deployment.name() + "api-spare", sparePort);
            spareApiUrl = URI.create("http://127.0.0.1:" + sparePort);
            ready.add(CompletableFuture.runAsync(() -> awaitHealthy(spareApi, spareApiUrl.resolve("/health"))));
        }
        for (int i = 0; i < workers.length; i++) {
            workerPorts[i] = freePort();
            workers[i] = startWorker(i, Map.of());
            int w = i;
            ready.add(CompletableFuture.runAsync(() -> awaitWorker(w)));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
    }

    /** Settings every api and worker gets: short intervals so the suite stays quick. */
    private static Map<String, String> settings(Deployment d) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SYNCCTL_PAYLOAD_KEY", Base64.getEncoder().encodeToString(key));
        e.put("SYNCCTL_SIDECAR_IMAGE", "syncctl/sidecar:e2e");
        e.put("SYNCCTL_INTERNAL_SCHEMA", d.internalSchema());
        e.put("SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS", "2");
        e.put("SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS", "25");
        e.put("SYNCCTL_TERMINATION_GRACE_PERIOD_SECONDS", "15");
        e.put("SYNCCTL_INSTANCE_ID", "e2e");
        e.putAll(d.settings());
        return e;
    }

    private ManagedProcess startApi(String name, int port) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("SYNCCTL_HTTP_PORT", Integer.toString(port));
        ManagedProcess p = ManagedProcess.start(name, List.of(ManagedProcess.java(), "-Xmx256m", "-jar",
                jar("api/target/quarkus-app/quarkus-run.jar").toString()), e, logDirectory());
        processes.add(p);
        return p;
    }

    private ManagedProcess startWorker(int i, Map<String, String> overrides) {
        Map<String, String> e = new LinkedHashMap<>(env);
        e.put("SYNCCTL_HTTP_PORT", Integer.toString(workerPorts[i]));
        e.putAll(overrides);
        String name = deployment.name() + "worker-" + (i + 1) + (restarts > 0 ? "." + restarts : "");
        ManagedProcess p = ManagedProcess.start(name, List.of(ManagedProcess.java(), "-Xmx384m", "-jar",
                jar("worker/target/quarkus-app/quarkus-run.jar").toString()), e, logDirectory());
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

    /** What the api wrote (stdout and stderr). */
    public Path apiLog() {
        return api.log();
    }

    /** What worker {@code i} (0 or 1) wrote (stdout and stderr). */
    public Path workerLog(int i) {
        return workers[i].log();
    }

    /** Where worker {@code i} (0 or 1) serves health and metrics. */
    public URI workerUrl(int i) {
        return URI.create("http://127.0.0.1:" + workerPorts[i]);
    }

    /** The api's base URL, for clients that build their own requests. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** The spare api process: a test may kill it. */
    public Api spareApi() {
        return new Api(spareApiUrl);
    }

    public ManagedProcess spareApiProcess() {
        return spareApi;
    }

    public PodLog pods() {
        return cluster().pods();
    }

    private LocalCluster cluster() {
        return ownCluster != null ? ownCluster : cluster;
    }

    /** The repository root, e.g. to name the devkit's commands. */
    public static Path repo() {
        return REPO;
    }

    /** The result tables (and, behind them on the search path, our own tables) as a client polls them. */
    public Db db() {
        return new Db(Db.url(DATABASE, deployment.resultSchema() + "," + deployment.internalSchema()));
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
        return runSchema() + "_" + suffix;
    }

    /** Our own tables (SYNCCTL_INTERNAL_SCHEMA) of this deployment. */
    public String internalSchema() {
        return deployment.internalSchema();
    }

    /** The schema of the result tables. */
    public String schema() {
        return deployment.resultSchema();
    }

    /** The logs of every process, to attach to a failure. */
    public Path logDir() {
        return logDirectory();
    }

    private static Path logDirectory() {
        return DIR.resolve("logs");
    }

    /** Stops this deployment's apis and workers (the shared cluster stays). */
    @Override
    public void close() {
        List<ManagedProcess> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(p -> p.stop(Duration.ofSeconds(15)));
        processes.clear();
        if (ownCluster != null) {
            ownCluster.stop();
            ownCluster = null;
        }
        synchronized (Stack.class) {
            started.remove(this);
            if (instance == this) {
                instance = null;
            }
        }
    }

    private static void deleteLogsOfEarlierRuns() {
        try (var logs = Files.list(Files.createDirectories(logDirectory()))) {
            for (Path log : logs.toList()) {
                Files.delete(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A build output of the repository ({@code devkit/target/...}), failing clearly when it was not built. */
    public static Path built(String relative) {
        return jar(relative);
    }

    private static Path jar(String relative) {
        Path p = REPO.resolve(relative);
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

    static void requireAlive(ManagedProcess p) {
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
