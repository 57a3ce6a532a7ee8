package io.syncctl.worker.jobs;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpServer;
import org.jboss.logging.Logger;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * JobRunr's dashboard (its own handlers, as {@code JobRunrDashboardWebServer} wires them) on an
 * address of our choice: JobRunr's server always listens on every interface, and the dashboard
 * should be reachable through {@code kubectl port-forward} only (SYNCCTL_DASHBOARD_BIND, default
 * 127.0.0.1). Everything but the redirect from {@code /} needs the basic-auth credentials.
 */
final class DashboardServer {
    private static final Logger LOG = Logger.getLogger(DashboardServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final List<HttpExchangeHandler> handlers;

    DashboardServer(StorageProvider storage, JsonMapper json, String bind, int port, String username, String password) {
        try {
            http = HttpServer.create(new InetSocketAddress(bind, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port + " for the dashboard", e);
        }
        executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("syncctl-dashboard-", 0).factory());
        http.setExecutor(executor);
        RedirectHttpHandler redirect = new RedirectHttpHandler("/", "/dashboard");
        handlers = List.of(redirect, new JobRunrStaticFileHandler(), new JobRunrApiHandler(storage, json, false),
                new JobRunrSseHandler(storage, json));
        BasicAuthenticator auth = new BasicAuthenticator("JobRunr") {
            @Override
            public boolean checkCredentials(String user, String pwd) {
                // both compared in full, in constant time: no early exit tells how much was right
                return MessageDigest.isEqual(bytes(user), bytes(username)) & MessageDigest.isEqual(bytes(pwd), bytes(password));
            }
        };
        for (HttpExchangeHandler h : handlers) {
            var context = http.createContext(h.getContextPath(), h);
            if (h != redirect) {
                context.setAuthenticator(auth);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    void start() {
        http.start();
        InetSocketAddress a = http.getAddress();
        LOG.infof("JobRunr Dashboard started at http://%s:%d/dashboard%s", a.getAddress().getHostAddress(), a.getPort(),
                a.getAddress().isLoopbackAddress() ? " (loopback only: kubectl port-forward to reach it)" : "");
    }

    void stop() {
        for (HttpExchangeHandler h : handlers) {
            try {
                h.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing a dashboard handler: %s", e);
            }
        }
        http.stop(0);
        executor.shutdownNow();
    }
}
