package io.syncctl.worker.finalise;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.syncctl.worker.kube.ApiError;
import io.syncctl.worker.metrics.WorkerMetrics;

/** The last lines of a container's log, through the pod log API; "" when they cannot be had. */
public final class PodLogs {
    public static final int TAIL_LINES = 20;
    private static final int MAX_CHARS = 4000;

    private final KubernetesClient client;
    private final String namespace;
    private final WorkerMetrics metrics;

    public PodLogs(KubernetesClient client, String namespace, WorkerMetrics metrics) {
        this.client = client;
        this.namespace = namespace;
        this.metrics = metrics;
    }

    public String tail(String pod, String container) {
        try {
            String log = client.pods().inNamespace(namespace).withName(pod).inContainer(container)
                    .tailingLines(TAIL_LINES).getLog();
            if (log == null) {
                return "";
            }
            return log.length() > MAX_CHARS ? log.substring(log.length() - MAX_CHARS) : log;
        } catch (KubernetesClientException e) {
            // The pod may be gone already; the failure is described without its log then.
            metrics.apiError("log", ApiError.of(e).codeTag());
            return "";
        }
    }
}
