package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;

/**
 * Writes pod statuses through the API's status subresource, as the kubelet does: read the pod,
 * replace its status, update; a 409 (someone changed the pod meanwhile) means read again.
 */
final class StatusWriter {

    private static final int ATTEMPTS = 20;

    private final KubernetesClient client;

    StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Returns false when the pod no longer exists (deleted, or replaced by another of that name). */
    boolean write(Pod pod, PodStatus status) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Pod current = client.pods().inNamespace(namespace).withName(name).get();
            if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                return false;
            }
            current.setStatus(status);
            try {
                client.pods().inNamespace(namespace).resource(current).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return false;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("pod " + namespace + "/" + name + " kept changing; status not written");
    }
}
