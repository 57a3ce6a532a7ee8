package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API of the local cluster: fabric8's mock server in CRUD mode (objects, watches,
 * status updates, 409s) on 127.0.0.1 over plain HTTP, plus {@code pods/{name}/log} answered from
 * what the containers printed and the core API's discovery documents (so that {@code kubectl}
 * works against it). The mock keeps no logs and runs nothing; the {@link Kubelet} does.
 */
final class ApiServer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServer.class);
    private static final Pattern LOG_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/log");
    private static final Pattern POD_PATH = Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+");
    private static final Pattern NO_GRACE = Pattern.compile("\"gracePeriodSeconds\"\\s*:\\s*0\\b");
    private static final Pattern EVICTION_PATH = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/eviction");
    private static final Pattern UNSUPPORTED_PATH =
            Pattern.compile("/api/v1/namespaces/[^/]+/pods/[^/]+/(exec|attach|portforward|proxy|binding|ephemeralcontainers)(/.*)?");
    /** The mock web server logs every request at INFO through java.util.logging; keep it quiet. */
    private static final java.util.logging.Logger MOCK_LOGGER = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final LogEndpoint dispatcher;

    private ApiServer(KubernetesMockServer server, LogEndpoint dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    static ApiServer start(int port) {
        MOCK_LOGGER.setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> expectations = new ConcurrentHashMap<>();
        LogEndpoint dispatcher = new LogEndpoint(new KubernetesMixedDispatcher(expectations));
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                expectations, dispatcher, false, Discovery.VERSION);
        server.init(InetAddress.getLoopbackAddress(), port);
        return new ApiServer(server, dispatcher);
    }

    /** {@code http://127.0.0.1:<port>}, what a kubeconfig names as the cluster's server. */
    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    void serveLogsFrom(PodLogs logs) {
        dispatcher.logs = logs;
    }

    void serveEvictionsFrom(PodEvictions evictions) {
        dispatcher.evictions = evictions;
    }

    /** A client that reads no kubeconfig or environment: only this server. */
    KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default").build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The mock web server records every request for test assertions; drop them or memory grows forever. */
    void forgetRecordedRequests() {
        try {
            while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    /** Serves discovery and the log subresource; everything else goes to the CRUD dispatcher. */
    private static final class LogEndpoint extends Dispatcher {

        private final Dispatcher crud;
        private volatile PodLogs logs = (namespace, pod, container, tail) -> PodLogs.Problem.notFound("pods \"" + pod + "\" not found");
        private volatile PodEvictions evictions = (namespace, pod) -> java.util.Optional.of(PodLogs.Problem.notFound("pods \"" + pod + "\" not found"));

        LogEndpoint(Dispatcher crud) {
            this.crud = crud;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            URI uri = URI.create(request.getPath());
            String discovery = "GET".equals(request.getMethod()) ? Discovery.DOCUMENTS.get(uri.getRawPath()) : null;
            if (discovery != null) {
                return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(discovery);
            }
            Matcher unsupported = UNSUPPORTED_PATH.matcher(uri.getRawPath());
            if (unsupported.matches()) {
                // The CRUD dispatcher would answer these with unrelated data; say what is going on instead.
                return problem(PodLogs.Problem.badRequest("pods/" + unsupported.group(1)
                        + " is not supported by the local cluster (a single-node simulation)"));
            }
            if ("DELETE".equals(request.getMethod()) && POD_PATH.matcher(uri.getRawPath()).matches() && withoutGrace(request, uri)) {
                releaseFromLostNode(uri.getRawPath());
            }
            Matcher eviction = EVICTION_PATH.matcher(uri.getRawPath());
            if (eviction.matches()) {
                if (!"POST".equals(request.getMethod())) {
                    return problem(new PodLogs.Problem(405, "MethodNotAllowed", "the eviction subresource only answers POST"));
                }
                return evictions.evict(decode(eviction.group(1)), decode(eviction.group(2))).map(LogEndpoint::problem)
                        .orElseGet(() -> new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                                .setBody(Serialization.asJson(new StatusBuilder().withStatus("Success").withCode(201).build())));
            }
            Matcher matcher = LOG_PATH.matcher(uri.getRawPath());
            if (!matcher.matches()) {
                return crud.dispatch(request);
            }
            if (!"GET".equals(request.getMethod())) {
                return problem(new PodLogs.Problem(405, "MethodNotAllowed", "the log subresource only answers GET"));
            }
            Map<String, String> query = query(uri.getRawQuery());
            Integer tailLines;
            try {
                tailLines = query.containsKey("tailLines") ? Integer.valueOf(query.get("tailLines")) : null;
            } catch (NumberFormatException e) {
                return problem(PodLogs.Problem.badRequest("tailLines must be an integer, got " + query.get("tailLines")));
            }
            PodLogs.Answer answer = logs.read(decode(matcher.group(1)), decode(matcher.group(2)), query.get("container"), tailLines);
            return switch (answer) {
                case PodLogs.Text text -> new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "text/plain; charset=utf-8").setBody(text.text());
                case PodLogs.Problem problem -> problem(problem);
            };
        }

        /** A deletion with grace period 0: Kubernetes removes the pod at once, whatever its node says. */
        private static boolean withoutGrace(RecordedRequest request, URI uri) {
            return "0".equals(query(uri.getRawQuery()).get("gracePeriodSeconds"))
                    || NO_GRACE.matcher(request.getBody() == null ? "" : request.getUtf8Body()).find();
        }

        /**
         * A pod of a lost node ({@link Kubelet#LOST_NODE_FINALIZER}) deleted with grace period 0 is
         * removed, as Kubernetes does for a force deletion: the simulation's finalizer is dropped first.
         */
        private void releaseFromLostNode(String path) {
            MockResponse current = crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, path,
                    Headers.builder().build(), new Buffer()));
            if (current.code() != 200) {
                return;
            }
            Pod pod = Serialization.unmarshal(current.getBody().readUtf8(), Pod.class);
            List<String> finalizers = new ArrayList<>(pod.getMetadata().getFinalizers());
            if (!finalizers.remove(Kubelet.LOST_NODE_FINALIZER)) {
                return;
            }
            String patch = Serialization.asJson(List.of(Map.of("op", "replace", "path", "/metadata/finalizers", "value", finalizers)));
            MockResponse patched = crud.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path,
                    Headers.builder().add("Content-Type", "application/json-patch+json").build(),
                    new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
            LOG.info("pod {}: deleted with grace period 0, its lost node no longer holds it ({})", pod.getMetadata().getName(),
                    patched.code());
        }

        private static MockResponse problem(PodLogs.Problem problem) {
            String body = Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(problem.code())
                    .withReason(problem.reason()).withMessage(problem.message()).build());
            return new MockResponse().setResponseCode(problem.code()).setHeader("Content-Type", "application/json").setBody(body);
        }

        private static Map<String, String> query(String rawQuery) {
            Map<String, String> values = new HashMap<>();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    int eq = pair.indexOf('=');
                    values.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            return values;
        }

        private static String decode(String text) {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
    }
}
