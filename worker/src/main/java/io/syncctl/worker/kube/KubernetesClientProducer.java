package io.syncctl.worker.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.syncctl.shared.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The worker's Kubernetes client: from SYNCCTL_KUBERNETES_* when set, otherwise the configuration the
 * Quarkus extension discovered (which is also how tests point the worker at the mock API server).
 * The client's own request retries are off: a failed call surfaces at once, is counted, and the
 * job (with its backoff and give-up) or the next resync retries it, instead of a thread blocking.
 */
@ApplicationScoped
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient client(Settings settings, Config discovered) {
        Config config = KubernetesConnection.config(settings.kubernetesClientConfig(), settings.kubernetesContext())
                .orElse(discovered);
        return new KubernetesClientBuilder().withConfig(KubernetesConnection.withoutClientRetries(config)).build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
