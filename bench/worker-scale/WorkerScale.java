import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.syncctl.shared.config.DatabaseUrl;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.payload.PayloadCipher;
import io.syncctl.shared.payload.TaskPayload;
import io.syncctl.shared.results.ReadStatus;
import io.syncctl.shared.results.ResultTables;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskStore;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.db.Db;
import io.syncctl.worker.launch.PodNames;
import io.syncctl.worker.launch.TaskLabels;
import io.syncctl.worker.launch.TaskPod;
import io.syncctl.worker.launch.TaskPodBuilder;
import io.syncctl.worker.support.PodStatuses;
import org.jobrunr.scheduling.JobScheduler;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;

/**
 * bench/worker-scale: the driver of {@code run.sh}, run as a single-file program on the worker's
 * test classpath ({@code java -cp ... WorkerScale.java MODE ...}). Three modes, each its own process:
 *
 * <ul>
 *   <li>{@code api-server KUBECONFIG}: fabric8's mock Kubernetes API server in CRUD mode on
 *       127.0.0.1 (any free port), and a kubeconfig pointing at it. Runs until killed.</li>
 *   <li>{@code reference KUBECONFIG TASKS THREADS API_SERVER_PID}: the physical reference. Creates TASKS Pod +
 *       Secret pairs exactly as the worker builds them ({@link TaskPodBuilder}), from THREADS threads
 *       with a plain fabric8 client, and prints the rate the API server sustains; then deletes them.</li>
 *   <li>{@code drive KUBECONFIG DATABASE_URL WORKER_PID API_SERVER_PID}: accepts tasks the way the api does, plays
 *       the kubelet (pods to Running, then Succeeded) and the sidecar (the read's final status), and
 *       measures the worker: launch rate, steady-state CPU and heap, terminated-to-finalised latency.</li>
 * </ul>
 *
 * Result lines start with {@code RESULT key=value}; {@code run.sh} collects them.
 */
public class WorkerScale {
    static final String NAMESPACE = "default";
    static final String REFERENCE_NAMESPACE = "bench-reference";
    /** The api's key must be the worker's: it decrypts what was stored. run.sh passes the same one. */
    static final String PAYLOAD_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
        if (args.length < 2) {
            System.err.println("usage: WorkerScale.java api-server KUBECONFIG | reference KUBECONFIG TASKS THREADS"
                    + " | drive KUBECONFIG DATABASE_URL WORKER_PID API_SERVER_PID");
            System.exit(2);
        }
        Path kubeconfig = Path.of(args[1]);
        switch (args[0]) {
            case "api-server" -> apiServer(kubeconfig);
            case "reference" -> reference(kubeconfig, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "drive" -> new Drive(kubeconfig, args[2], Long.parseLong(args[3]), Long.parseLong(args[4])).run();
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    // ---- api-server ---------------------------------------------------------------------------------

    @SuppressWarnings("deprecation") // Serialization.jsonMapper(): the mapper the devkit's API server uses too
    static void apiServer(Path kubeconfig) throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()), new MockWebServer(),
                expectations, new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        String url = "http://127.0.0.1:" + server.getPort();
        Path tmp = Files.createTempFile(kubeconfig.toAbsolutePath().getParent(), ".kubeconfig", ".tmp");
        Files.writeString(tmp, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: bench
                  cluster:
                    server: %s
                contexts:
                - name: bench
                  context:
                    cluster: bench
                    user: bench
                    namespace: default
                current-context: bench
                users:
                - name: bench
                  user:
                    token: bench
                """.formatted(url));
        Files.move(tmp, kubeconfig, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("api server ready at " + url);
        // The mock records every request for test assertions: drop them, or its memory grows without end.
        while (true) {
            Thread.sleep(5_000);
            while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // discard
            }
        }
    }

    static KubernetesClient client(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        config.setMaxConcurrentRequests(256);
        config.setMaxConcurrentRequestsPerHost(256);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    // ---- reference ----------------------------------------------------------------------------------

    static void reference(Path kubeconfig, int tasks, int threads, long apiServerPid) throws Exception {
        WorkerSettings settings = WorkerSettings.from(Map.of(
                "SYNCCTL_DATABASE_URL", "postgresql://syncctl@db:5432/app?search_path=bench",
                "SYNCCTL_PAYLOAD_KEY", PAYLOAD_KEY,
                "SYNCCTL_SIDECAR_IMAGE", "syncctl/sidecar:bench",
                "SYNCCTL_KUBERNETES_NAMESPACE", REFERENCE_NAMESPACE,
                "SYNCCTL_INSTANCE_ID", "bench"));
        List<TaskPod> objects = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            objects.add(TaskPodBuilder.build(readTask("ref-" + i), readPayload(), settings));
        }
        try (KubernetesClient client = client(kubeconfig)) {
            client.pods().inNamespace(REFERENCE_NAMESPACE).list(); // connection and JIT warm-up, untimed
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long apiTicks = Drive.ticks(apiServerPid);
            long ownTicks = Drive.ticks(ProcessHandle.current().pid());
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (TaskPod o : objects) {
                done.add(pool.submit(() -> {
                    Pod pod = client.resource(o.pod()).inNamespace(REFERENCE_NAMESPACE).create();
                    client.resource(o.secretOwnedBy(pod)).inNamespace(REFERENCE_NAMESPACE).create();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int hz = Integer.getInteger("bench.clk_tck", 100);
            result("cpu_reference_api_server_ms_per_pod", String.format("%.1f", 1000.0 * (Drive.ticks(apiServerPid) - apiTicks) / hz / tasks));
            result("cpu_reference_client_ms_per_pod", String.format("%.1f", 1000.0 * (Drive.ticks(ProcessHandle.current().pid()) - ownTicks) / hz / tasks));
            System.out.printf("RESULT reference_threads=%d%nRESULT reference_pairs=%d%nRESULT reference_seconds=%.2f%nRESULT reference_pods_per_s=%.1f%n",
                    threads, tasks, seconds, tasks / seconds);
            done.clear();
            for (TaskPod o : objects) {
                String name = o.pod().getMetadata().getName();
                done.add(pool.submit(() -> {
                    client.pods().inNamespace(REFERENCE_NAMESPACE).withName(name).withGracePeriod(0).delete();
                    client.secrets().inNamespace(REFERENCE_NAMESPACE).withName(PodNames.secret(name)).delete();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
        }
    }

    // ---- tasks as the api accepts them ----------------------------------------------------------------

    static TaskRecord readTask(String unique) {
        String taskId = "bench-" + unique;
        return TaskRecord.accepted(JobIds.readTask(taskId), TaskType.READ, "syncctl/source-synthetic", "bench", null,
                "sync-" + unique, taskId, Map.of("tableNamePrefix", "bench_"));
    }

    static TaskPayload readPayload() {
        return new TaskPayload("{\"streams\":2,\"records_per_stream\":1000,\"api_key\":\"not-a-real-secret\"}",
                "{\"streams\":[{\"stream\":{\"name\":\"stream_1\",\"json_schema\":{}},\"sync_mode\":\"full_refresh\","
                        + "\"destination_sync_mode\":\"overwrite\"}]}",
                "{}", "{\"destinationType\":\"postgres\",\"password\":\"dest-pw\"}");
    }

    // ---- drive ------------------------------------------------------------------------------------------

    static final class Drive {
        private final Path kubeconfig;
        private final String schema;
        private final long workerPid;
        private final long apiServerPid;
        private final String database;
        private final int backlog = Integer.getInteger("bench.backlog", 1000);
        private final int running = Integer.getInteger("bench.running", 2000);
        private final int burst = Integer.getInteger("bench.burst", 500);
        private final int windowSeconds = Integer.getInteger("bench.window", 60);
        private final int settleSeconds = Integer.getInteger("bench.settle", 30);
        private final int clockTicks = Integer.getInteger("bench.clk_tck", 100);
        private final String metricsUrl = System.getProperty("bench.metrics", "");
        private final String jcmd = System.getProperty("bench.jcmd", "jcmd");
        private final Db db;
        private final TaskStore store = new TaskStore(new PayloadCipher(java.util.Base64.getDecoder().decode(PAYLOAD_KEY)));
        private final JobScheduler scheduler;
        /** When this driver's watch first saw each pod (System.nanoTime), by pod name. */
        private final Map<String, Long> seen = new ConcurrentHashMap<>();
        private final Map<String, Boolean> runningPods = new ConcurrentHashMap<>();
        private final ExecutorService kubelet = Executors.newFixedThreadPool(8);
        private int accepted;

        /** SYNCCTL_INTERNAL_SCHEMA's default: the worker under test keeps its task table and queue there. */
        static final String INTERNAL_SCHEMA = "syncctl";

        Drive(Path kubeconfig, String databaseUrl, long workerPid, long apiServerPid) {
            this.kubeconfig = kubeconfig;
            this.workerPid = workerPid;
            this.apiServerPid = apiServerPid;
            DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
            this.database = url.database();
            this.schema = url.schema();
            PGSimpleDataSource ds = new PGSimpleDataSource();
            // the worker's own view: result tables in the URL's schema, syncctl_task and the queue in ours
            ds.setURL(url.jdbcUrl(INTERNAL_SCHEMA));
            if (url.user() != null) {
                ds.setUser(url.user());
            }
            if (url.password() != null) {
                ds.setPassword(url.password());
            }
            this.db = new Db(ds);
            this.scheduler = new JobScheduler(JobRunrStorage.open(ds, INTERNAL_SCHEMA));
        }

        void run() throws Exception {
            try (KubernetesClient client = client(kubeconfig)) {
                SharedIndexInformer<Pod> informer = playKubelet(client);
                load("start");
                launchRate("launch", accept(backlog));
                load("after_launch");
                steadyState(client);
                load("after_steady");
                burst(client, informer);
                load("after_burst");
                informer.stop();
            }
            kubelet.shutdownNow();
        }

        /** The node: every new task pod is set Running (init done, both containers started) at once. */
        SharedIndexInformer<Pod> playKubelet(KubernetesClient client) {
            return client.pods().inNamespace(NAMESPACE).withLabels(TaskLabels.SELECTOR).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    seen.putIfAbsent(pod.getMetadata().getName(), System.nanoTime());
                    if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
                        kubelet.submit(() -> writeStatus(client, pod, PodStatuses.running(pod, Instant.now())));
                    }
                }

                @Override
                public void onUpdate(Pod old, Pod pod) {
                    if (pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())) {
                        runningPods.put(pod.getMetadata().getName(), true);
                    }
                }

                @Override
                public void onDelete(Pod pod, boolean unknown) {
                    runningPods.remove(pod.getMetadata().getName());
                }
            }, 0);
        }

        /** One PUT of the status subresource (the kubelet's write); a stale version is fetched again. */
        static void writeStatus(KubernetesClient client, Pod pod, PodStatus status) {
            Pod updated = new PodBuilder(pod).withStatus(status).build();
            try {
                client.pods().inNamespace(NAMESPACE).resource(updated).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).editStatus(p -> {
                    p.setStatus(status);
                    return p;
                });
            }
        }

        // 1. launch rate from a backlog -----------------------------------------------------------------

        /**
         * Enqueues {@code tasks} at once and measures how fast their pods appear. The first backlog
         * meets a freshly started worker (JIT compilation included), the second a warm one.
         */
        void launchRate(String phase, List<TaskRecord> tasks) throws Exception {
            int n = tasks.size();
            Map<String, Long> cpu = cpuSnapshot();
            long enqueued = enqueue(tasks);
            List<String> names = tasks.stream().map(PodNames::pod).toList();
            await(Duration.ofMinutes(10), n + " pods created", () -> names.stream().allMatch(seen::containsKey));
            cpuUsed(phase, cpu, n);
            UUID[] ids = ids(tasks);
            await(Duration.ofMinutes(1), n + " tasks launched", () -> count(
                    "SELECT count(*)::text AS n FROM syncctl_task WHERE id = ANY (?) AND launched_at IS NOT NULL", (Object) ids) == n);
            long first = names.stream().mapToLong(seen::get).min().orElseThrow();
            long last = names.stream().mapToLong(seen::get).max().orElseThrow();
            double spread = (last - first) / 1e9;
            double dbSpread = Double.parseDouble(row("SELECT EXTRACT(EPOCH FROM max(launched_at) - min(launched_at))::text AS s"
                    + " FROM syncctl_task WHERE id = ANY (?)", (Object) ids).get("s"));
            result(phase + "_tasks", n);
            result(phase + "_enqueue_to_first_pod_s", String.format("%.2f", (first - enqueued) / 1e9));
            result(phase + "_first_to_last_pod_s", String.format("%.2f", spread));
            result(phase + "_pods_per_s", String.format("%.1f", (n - 1) / spread));
            result(phase + "_db_first_to_last_s", String.format("%.2f", dbSpread));
            result(phase + "_db_pods_per_s", String.format("%.1f", (n - 1) / dbSpread));
        }

        int count(String sql, Object... args) {
            try {
                return Integer.parseInt(row(sql, args).get("n"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Task rows, read rows and payloads as the api writes them, in transactions of 100. */
        List<TaskRecord> accept(int n) throws SQLException {
            List<TaskRecord> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(readTask("run" + ProcessHandle.current().pid() + "-" + accepted++));
            }
            TaskPayload payload = readPayload();
            for (int from = 0; from < n; from += 100) {
                List<TaskRecord> part = tasks.subList(from, Math.min(n, from + 100));
                db.tx(c -> {
                    for (TaskRecord t : part) {
                        ResultTables.readAccepted(c, t.syncId(), t.taskId(), t.pkg(), t.version(), null,
                                "queued: waiting for a worker to start the pod");
                        store.insert(c, t, payload);
                    }
                    return null;
                });
            }
            return tasks;
        }

        /** The launch jobs, saved in one batch so the backlog appears at once; returns System.nanoTime() after. */
        long enqueue(List<TaskRecord> tasks) {
            scheduler.<TaskJobs, UUID>enqueue(tasks.stream().map(TaskRecord::id), (j, id) -> j.launch(id, "worker-scale bench"));
            return System.nanoTime();
        }

        // 2. steady state with many running pods -------------------------------------------------------

        void steadyState(KubernetesClient client) throws Exception {
            int more = running - backlog;
            if (more > 0) {
                launchRate("launch_warm", accept(more));
            }
            await(Duration.ofMinutes(10), running + " pods running", () -> runningPods.size() >= running);
            Thread.sleep(settleSeconds * 1000L);
            result("steady_pods_running", runningPods.size());
            Map<String, Long> cpu = cpuSnapshot();
            long[] cpu0 = cpuTicks();
            long t0 = System.nanoTime();
            long maxRss = 0;
            Instant windowStart = Instant.now();
            while (System.nanoTime() - t0 < windowSeconds * 1_000_000_000L) {
                Thread.sleep(1000);
                maxRss = Math.max(maxRss, rssKb());
            }
            long[] cpu1 = cpuTicks();
            cpuUsed("steady", cpu, 0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double user = (cpu1[0] - cpu0[0]) / (double) clockTicks;
            double system = (cpu1[1] - cpu0[1]) / (double) clockTicks;
            result("steady_window_s", String.format("%.1f", seconds));
            result("steady_cpu_s", String.format("%.2f", user + system));
            result("steady_cpu_user_s", String.format("%.2f", user));
            result("steady_cpu_system_s", String.format("%.2f", system));
            result("steady_cpu_percent_of_one_core", String.format("%.1f", 100 * (user + system) / seconds));
            result("steady_rss_max_mb", maxRss / 1024);
            result("steady_heap", heapUsed());
            // Proof the worker did its steady-state job: each read's updated_at refreshed during the window.
            Map<String, String> fresh = row("SELECT count(*)::text AS n FROM source_task WHERE status = 'RUNNING' AND updated_at >= ?",
                    java.sql.Timestamp.from(windowStart));
            result("steady_reads_heartbeated_in_window", fresh.get("n"));
            runJcmd("GC.run");
            result("steady_heap_after_full_gc", heapUsed());
            result("steady_pods_running_after", runningPods.size());
        }

        /**
         * CPU clock ticks so far of the worker, the API server, this driver and the PostgreSQL backends
         * serving the bench database (a backend that exits within a phase loses its ticks).
         */
        Map<String, Long> cpuSnapshot() {
            Map<String, Long> ticks = new HashMap<>();
            ticks.put("worker", ticks(workerPid));
            ticks.put("api_server", ticks(apiServerPid));
            ticks.put("driver", ticks(ProcessHandle.current().pid()));
            // Backend titles: "postgres: [15/main: ]USER DATABASE HOST(PORT) STATE".
            String title = " " + System.getProperty("bench.pguser", "postgres") + " " + database + " ";
            ProcessHandle.allProcesses().forEach(p -> {
                try {
                    String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
                    if (cmdline.startsWith("postgres: ") && cmdline.contains(title)) {
                        ticks.put("pg:" + p.pid(), ticks(p.pid()));
                    }
                } catch (Exception e) {
                    // gone or not ours
                }
            });
            return ticks;
        }

        /** Prints each process group's CPU seconds since {@code before}, and per item when {@code items > 0}. */
        void cpuUsed(String phase, Map<String, Long> before, int items) {
            Map<String, Long> after = cpuSnapshot();
            Map<String, Double> seconds = new java.util.LinkedHashMap<>();
            for (String who : List.of("worker", "api_server", "driver", "postgres")) {
                seconds.put(who, 0.0);
            }
            after.forEach((k, v) -> seconds.merge(k.startsWith("pg:") ? "postgres" : k,
                    (v - before.getOrDefault(k, 0L)) / (double) clockTicks, Double::sum));
            seconds.forEach((who, s) -> {
                result("cpu_" + phase + "_" + who + "_s", String.format("%.2f", s));
                if (items > 0) {
                    result("cpu_" + phase + "_" + who + "_ms_per_pod", String.format("%.1f", 1000 * s / items));
                }
            });
        }

        static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception e) {
                return 0;
            }
        }

        long[] cpuTicks() throws Exception {
            String stat = Files.readString(Path.of("/proc/" + workerPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[]{Long.parseLong(f[11]), Long.parseLong(f[12])}; // utime, stime (fields 14, 15)
        }

        long rssKb() throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/" + workerPid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        }

        /** "used X MB of Y MB committed" from jcmd GC.heap_info (G1, Serial or Parallel wording). */
        String heapUsed() throws Exception {
            String out = runJcmd("GC.heap_info");
            var m = java.util.regex.Pattern.compile("total (?:reserved )?(\\d+)K, (?:committed (\\d+)K, )?used (\\d+)K").matcher(out);
            if (m.find()) {
                long total = Long.parseLong(m.group(2) != null ? m.group(2) : m.group(1));
                return "used_" + Long.parseLong(m.group(3)) / 1024 + "MB_of_" + total / 1024 + "MB";
            }
            return "unparsed:" + out.replace('\n', ' ');
        }

        String runJcmd(String command) throws Exception {
            Process p = new ProcessBuilder(jcmd, String.valueOf(workerPid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        }

        // 3. a burst of pods ending at once ---------------------------------------------------------

        void burst(KubernetesClient client, SharedIndexInformer<Pod> informer) throws Exception {
            List<Pod> pods = informer.getStore().list().stream()
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                    .limit(burst).toList();
            if (pods.size() < burst) {
                throw new IllegalStateException("only " + pods.size() + " running pods for a burst of " + burst);
            }
            // The sidecars record their reads' success before their containers exit.
            List<String> clientTaskIds = pods.stream()
                    .map(p -> p.getMetadata().getAnnotations().get(TaskLabels.ANNOTATION_PREFIX + "task-id")).toList();
            db.tx(c -> {
                for (String taskId : clientTaskIds) {
                    ResultTables.readFinished(c, taskId, ReadStatus.SUCCESS, "bench: done", null, null);
                }
                return null;
            });
            UUID[] ids = pods.stream().map(p -> TaskLabels.taskId(p).orElseThrow()).toArray(UUID[]::new);
            Map<UUID, Instant> endedAt = new ConcurrentHashMap<>();
            int threads = Integer.getInteger("bench.burst_threads", 32);
            ExecutorService writers = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Instant>> writes = new ArrayList<>();
            for (Pod pod : pods) {
                writes.add(writers.submit(() -> {
                    go.await();
                    Instant at = Instant.now();
                    endedAt.put(TaskLabels.taskId(pod).orElseThrow(), at);
                    writeStatus(client, pod, PodStatuses.ended(pod, 0, "Completed", 0, at));
                    return Instant.now();
                }));
            }
            Map<String, Long> cpu = cpuSnapshot();
            go.countDown();
            Instant lastWrite = Instant.MIN;
            for (Future<Instant> w : writes) {
                Instant done = w.get();
                lastWrite = done.isAfter(lastWrite) ? done : lastWrite;
            }
            writers.shutdown();
            Instant firstWrite = endedAt.values().stream().min(Instant::compareTo).orElseThrow();
            result("burst_pods", burst);
            result("burst_status_writes_s", String.format("%.2f", Duration.between(firstWrite, lastWrite).toNanos() / 1e9));
            await(Duration.ofMinutes(5), burst + " tasks finalised", () -> count(
                    "SELECT count(*)::text AS n FROM syncctl_task WHERE id = ANY (?) AND phase = 'DONE'", (Object) ids) == burst);
            cpuUsed("burst", cpu, burst);
            Map<UUID, Instant> finished = new HashMap<>();
            Map<String, Integer> outcomes = new HashMap<>();
            db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, finished_at, outcome FROM syncctl_task WHERE id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("uuid", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            finished.put(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant());
                            outcomes.merge(rs.getString(3), 1, Integer::sum);
                        }
                    }
                }
                return null;
            });
            double[] ms = endedAt.entrySet().stream()
                    .mapToDouble(e -> Duration.between(e.getValue(), finished.get(e.getKey())).toNanos() / 1e6).sorted().toArray();
            result("burst_latency_p50_ms", String.format("%.0f", percentile(ms, 50)));
            result("burst_latency_p90_ms", String.format("%.0f", percentile(ms, 90)));
            result("burst_latency_p99_ms", String.format("%.0f", percentile(ms, 99)));
            result("burst_latency_max_ms", String.format("%.0f", ms[ms.length - 1]));
            result("burst_latency_min_ms", String.format("%.0f", ms[0]));
            result("burst_outcomes", outcomes.toString().replace(" ", ""));
            Instant lastFinished = finished.values().stream().max(Instant::compareTo).orElseThrow();
            result("burst_first_write_to_last_finalised_s", String.format("%.2f", Duration.between(firstWrite, lastFinished).toNanos() / 1e9));
            await(Duration.ofMinutes(2), "burst pods deleted", () -> Arrays.stream(ids)
                    .noneMatch(id -> informer.getStore().getByKey(NAMESPACE + "/syncctl-read-" + id) != null));
            result("burst_pods_deleted", burst);
            // The CPU up to here includes removing the pods (their Secrets go in the same step), which
            // may go on after the last task is finalised.
            cpuUsed("burst_cleanup", cpu, burst);
            if (!metricsUrl.isEmpty()) {
                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                        HttpResponse.BodyHandlers.ofString());
                metrics.body().lines().filter(l -> l.startsWith("syncctl_finalise_latency_seconds")
                                || l.startsWith("syncctl_tasks_finished_total") || l.startsWith("syncctl_kubernetes_api_errors_total"))
                        .forEach(l -> System.out.println("METRIC " + l));
            }
        }

        static double percentile(double[] sorted, double p) {
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }

        static UUID[] ids(List<TaskRecord> tasks) {
            return tasks.stream().map(TaskRecord::id).toArray(UUID[]::new);
        }

        Map<String, String> row(String sql, Object... args) throws SQLException {
            return db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        if (args[i] instanceof UUID[] uuids) {
                            ps.setArray(i + 1, c.createArrayOf("uuid", uuids));
                        } else {
                            ps.setObject(i + 1, args[i]);
                        }
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        Map<String, String> out = new HashMap<>();
                        rs.next();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            out.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                        }
                        return out;
                    }
                }
            });
        }

        static void await(Duration limit, String what, BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + limit + " waiting for " + what);
                }
                Thread.sleep(50);
            }
        }
    }

    /** The 1-, 5- and 15-minute load averages: this machine is shared, so every figure carries its load. */
    static void load(String when) throws java.io.IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        result("load_" + when, f[0] + "/" + f[1] + "/" + f[2]);
    }

    static void result(String key, Object value) {
        System.out.println("RESULT " + key + "=" + value);
        System.out.flush();
    }
}
