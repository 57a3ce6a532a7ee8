package io.syncctl.worker.it;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.syncctl.shared.jobs.JobRunrStorage;
import io.syncctl.shared.task.JobIds;
import io.syncctl.shared.task.TaskJobs;
import io.syncctl.shared.task.TaskRecord;
import io.syncctl.shared.task.TaskType;
import io.syncctl.worker.WorkerSettings;
import io.syncctl.worker.jobs.TaskJobsActivator;
import io.syncctl.worker.jobs.JobServer;
import io.syncctl.worker.support.DatabaseProxyResource;
import io.syncctl.worker.support.Eventually;
import io.syncctl.worker.support.TestSettings;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job server's watchdog and its dashboard. */
@QuarkusTest
@WithKubernetesTestServer
@QuarkusTestResource(value = DatabaseProxyResource.class, restrictToAnnotatedClass = false)
class JobServerTest extends WorkerTestBase {

    private StorageProvider storage() {
        return JobRunrStorage.open(dataSource, io.syncctl.shared.testing.TestSchemas.internal());
    }

    @Test
    void aServerThatHeartBeatsButTakesNoJobsIsReplaced() throws Exception {
        // What a database cut in a server's first second leaves behind (its startup tasks failed):
        // running, announced, heart-beating, never polling. A server whose poll interval is an hour
        // looks the same from outside once it has polled at start. It has a queue of its own (schema
        // watchdog_test) so the application's job server cannot take the job instead.
        String watchdog = io.syncctl.shared.testing.TestSchemas.named("watchdog");
        queue.execute("CREATE SCHEMA IF NOT EXISTS " + watchdog);
        StorageProvider storage = JobRunrStorage.open(dataSource, watchdog);
        JobServer stuck = new JobServer(storage, new TaskJobsActivator(worker().steps()), Duration.ofHours(1), 2, Duration.ofSeconds(3));
        try {
            stuck.start();
            Eventually.await("the server announced with a fresh heartbeat", () -> stuck.healthy() ? true : null);
            assertTrue(stuck.isRunning());
            Thread.sleep(1000); // past its first poll

            TaskRecord task = queue.accept(TaskType.CHECK);
            UUID id = task.id();
            String label = task.label();
            new JobScheduler(storage).<TaskJobs>enqueue(JobIds.launch(id), j -> j.launch(id, label));
            Eventually.await("the watchdog to see that an enqueued job waits while the server idles",
                    () -> stuck.healthy() ? null : true);
            assertTrue(stuck.isRunning(), "still running and heart-beating: only the waiting job tells");
            assertTrue(stuck.ensureRunning(), "a fresh job server replaces the stuck one");
            kubelet.awaitPod(task.id());
            assertTrue(stuck.healthy());
        } finally {
            stuck.close();
        }
    }

    @Test
    void theDashboardIsBehindBasicAuthAndNeverLogsItsCredentials() throws Exception {
        String password = "dash-" + UUID.randomUUID();
        // How the worker wires it: SYNCCTL_DASHBOARD_* into the settings, which print no password.
        WorkerSettings settings = TestSettings.settings("SYNCCTL_DASHBOARD_PORT", "18080",
                "SYNCCTL_DASHBOARD_USERNAME", "ops", "SYNCCTL_DASHBOARD_PASSWORD", password);
        assertEquals(password, settings.common().dashboardPassword());
        assertEquals("ops", settings.common().dashboardUsername());
        assertFalse(settings.toString().contains(password), settings.toString());
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getLoggerName() + " " + r.getMessage() + " " + (r.getParameters() == null ? ""
                        : List.of(r.getParameters()).toString()) + " " + (r.getThrown() == null ? "" : r.getThrown().toString()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JobServer server = new JobServer(storage(), new TaskJobsActivator(worker().steps()), Duration.ofSeconds(5), 1);
        try {
            JobServer.Dashboard dashboard = new JobServer.Dashboard(port, "ops", password);
            assertFalse(dashboard.toString().contains(password));
            server.startDashboard(dashboard);
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + port + "/api/servers");
            assertEquals(401, get(http, uri, null).statusCode());
            assertEquals(401, get(http, uri, basic("ops", "wrong")).statusCode());
            assertEquals(401, get(http, uri, basic("admin", password)).statusCode());
            HttpResponse<String> ok = get(http, uri, basic("ops", password));
            assertEquals(200, ok.statusCode(), ok.body());
        } finally {
            server.close();
            root.removeHandler(capture);
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("JobRunr Dashboard")), "the capture sees JobRunr's log: " + logged);
        String encoded = Base64.getEncoder().encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8));
        assertTrue(logged.stream().noneMatch(l -> l.contains(password) || l.contains(encoded)), logged.toString());
    }

    /** SYNCCTL_DASHBOARD_BIND: loopback by default (kubectl port-forward reaches it), any address when told. */
    @Test
    void theDashboardListensOnLoopbackUnlessTold() throws Exception {
        assertEquals("127.0.0.1", TestSettings.settings().common().dashboardBind());
        java.net.InetAddress other = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "this machine has no address besides loopback");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String bind : new String[] {"127.0.0.1", "0.0.0.0"}) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            JobServer server = new JobServer(storage(), new TaskJobsActivator(worker().steps()), Duration.ofSeconds(5), 1);
            try {
                server.startDashboard(new JobServer.Dashboard(bind, port, "ops", "pw"));
                URI local = URI.create("http://127.0.0.1:" + port + "/api/servers");
                assertEquals(200, get(http, local, basic("ops", "pw")).statusCode(), bind);
                URI outside = URI.create("http://" + other.getHostAddress() + ":" + port + "/api/servers");
                if (bind.equals("127.0.0.1")) {
                    org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class, () -> get(http, outside, basic("ops", "pw")),
                            "the dashboard must not answer on " + other);
                } else {
                    assertEquals(200, get(http, outside, basic("ops", "pw")).statusCode());
                }
            } finally {
                server.close();
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
