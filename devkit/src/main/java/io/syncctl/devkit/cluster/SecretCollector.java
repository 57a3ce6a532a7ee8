package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * The garbage collector's part that matters here: a Secret whose owners are all Pods that no
 * longer exist (by name and uid) is deleted. Owners of other kinds are not looked at; a Secret
 * with any such owner is left alone.
 */
final class SecretCollector {

    private static final Logger LOG = LoggerFactory.getLogger(SecretCollector.class);

    private final KubernetesClient client;
    private final BiPredicate<String, OwnerReference> cachedAlive;

    /** {@code cachedAlive}: the owner is in a local cache, so no need to ask the API (absent ones are asked). */
    SecretCollector(KubernetesClient client, BiPredicate<String, OwnerReference> cachedAlive) {
        this.client = client;
        this.cachedAlive = cachedAlive;
    }

    void sweep() {
        for (Secret secret : client.secrets().inAnyNamespace().list().getItems()) {
            List<OwnerReference> owners = secret.getMetadata().getOwnerReferences();
            if (owners == null || owners.isEmpty() || !owners.stream().allMatch(SecretCollector::isPod)) {
                continue;
            }
            String namespace = secret.getMetadata().getNamespace();
            if (owners.stream().noneMatch(owner -> exists(namespace, owner))) {
                LOG.info("secret {}/{}: owner pod gone, deleting", namespace, secret.getMetadata().getName());
                client.secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).delete();
            }
        }
    }

    private static boolean isPod(OwnerReference owner) {
        return "Pod".equals(owner.getKind()) && "v1".equals(owner.getApiVersion());
    }

    private boolean exists(String namespace, OwnerReference owner) {
        if (cachedAlive.test(namespace, owner)) {
            return true;
        }
        // Asked, not taken from the cache: a pod created a moment ago may not be in it yet.
        Pod pod = client.pods().inNamespace(namespace).withName(owner.getName()).get();
        return pod != null && pod.getMetadata().getUid().equals(owner.getUid());
    }
}
