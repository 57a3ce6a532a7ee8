package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-node Kubernetes simulation for development, the demo and end-to-end tests. Not a
 * cluster: one process holding an API server (fabric8's mock, in memory) and a kubelet that runs
 * pods as local processes, plus a kubeconfig file so that clients connect to it exactly as to a
 * real cluster. See {@code devkit/CLUSTER.md} for what it simulates and what it does not.
 */
public final class LocalCluster implements AutoCloseable {

    static {
        // Before the first logger: timestamps and quiet libraries, unless the user chose otherwise.
        System.setProperty("org.slf4j.simpleLogger.showDateTime", System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", System.getProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS"));
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8", System.getProperty("org.slf4j.simpleLogger.log.io.fabric8", "warn"));
    }

    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private final ApiServer api;
    private final KubernetesClient client;
    private final Kubelet kubelet;
    private final ScheduledExecutorService timers;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Path kubeconfig;

    private LocalCluster(ApiServer api, KubernetesClient client, Kubelet kubelet, ScheduledExecutorService timers,
                         Path workDir, boolean ownsWorkDir, Path kubeconfig) {
        this.api = api;
        this.client = client;
        this.kubelet = kubelet;
        this.timers = timers;
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.kubeconfig = kubeconfig;
    }

    public static LocalCluster start(ClusterOptions options) throws IOException {
        boolean ownsWorkDir = options.workDir().isEmpty();
        Path workDir = ownsWorkDir ? Files.createTempDirectory("syncctl-local-cluster") : options.workDir().get();
        Files.createDirectories(workDir);
        ApiServer api = ApiServer.start(options.port());
        KubernetesClient client = api.newClient();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("local-cluster-timer-", 0).factory());
        ImageMap images = ImageMap.defaults(repositoryRoot()).with(options.images());
        NodeContext node = new NodeContext(client, images, workDir.resolve("pods"), System.getenv(), new StatusWriter(client), timers,
                options.faults());
        Kubelet kubelet = new Kubelet(node, options.nodeLabels(), options.capacity(), options.lostNodeImages());
        LocalCluster cluster = new LocalCluster(api, client, kubelet, timers, workDir, ownsWorkDir, options.kubeconfig());
        try {
            registerNode(client, options);
            api.serveLogsFrom(kubelet::logs);
            api.serveEvictionsFrom(kubelet::evict);
            kubelet.start();
            timers.scheduleWithFixedDelay(api::forgetRecordedRequests, 10, 10, TimeUnit.SECONDS);
            writeKubeconfig(options.kubeconfig(), api.url());
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        warnAboutMissingCommands(images);
        LOG.info("local cluster (a single-node simulation) serving {} with capacity {}; kubeconfig {}; work dir {}",
                api.url(), options.capacity(), options.kubeconfig(), workDir);
        return cluster;
    }

    /** A mapping to a program that is not there yet (not built) would only show as exit code 127 in a pod. */
    private static void warnAboutMissingCommands(ImageMap images) {
        images.commands().forEach((image, command) -> {
            String program = command.strip().split("\\s+")[0];
            if (program.startsWith("/") && !Files.isExecutable(Path.of(program))) {
                LOG.warn("image {} maps to {}, which is not an executable file (yet): its pods will fail", image, program);
            }
        });
    }

    /** The API server's URL, {@code http://127.0.0.1:<port>}. */
    public String apiUrl() {
        return api.url();
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Path workDir() {
        return workDir;
    }

    /** Stops every pod (SIGTERM, SIGKILL after a few seconds), then the API server. */
    @Override
    public void close() {
        kubelet.close();
        timers.shutdownNow();
        client.close();
        api.close();
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    public static void main(String[] args) {
        ClusterOptions options;
        try {
            options = ClusterOptions.parse(args);
        } catch (ClusterOptions.UsageException e) {
            boolean help = e.getMessage().equals(ClusterOptions.USAGE);
            (help ? System.out : System.err).println(help ? e.getMessage() : "local-cluster: " + e.getMessage());
            System.exit(help ? 0 : 2);
            return;
        }
        LocalCluster cluster;
        try {
            cluster = start(options);
        } catch (IOException | RuntimeException e) {
            System.err.println("local-cluster: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "local-cluster-shutdown"));
        System.out.println("local cluster ready: API " + cluster.apiUrl() + ", kubeconfig " + options.kubeconfig() + " (Ctrl-C stops it)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void registerNode(KubernetesClient client, ClusterOptions options) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build()).create();
        client.nodes().resource(new NodeBuilder()
                .withNewMetadata().withName(Kubelet.NODE_NAME).withLabels(options.nodeLabels()).endMetadata()
                .withNewStatus()
                .withCapacity(Map.of("pods", new Quantity(String.valueOf(options.capacity()))))
                .withAllocatable(Map.of("pods", new Quantity(String.valueOf(options.capacity()))))
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .endStatus()
                .build()).create();
    }

    /** Writes the kubeconfig atomically, readable by the user only (it is a credential file on a real cluster). */
    static void writeKubeconfig(Path file, String server) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: syncctl-local
                  cluster:
                    server: %s
                contexts:
                - name: syncctl-local
                  context:
                    cluster: syncctl-local
                    user: syncctl-local
                    namespace: default
                current-context: syncctl-local
                users:
                - name: syncctl-local
                  user:
                    token: local-cluster
                """.formatted(server);
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = Files.createTempFile(absolute.getParent(), ".kubeconfig", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, yaml);
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The repository this jar or class directory belongs to ({@code <repo>/devkit/target/...}),
     * for the default image commands; the working directory when it cannot be told.
     */
    static Path repositoryRoot() {
        try {
            Path location = Path.of(LocalCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = location; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("devkit/pom.xml"))) {
                    return dir;
                }
            }
        } catch (Exception e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
