package io.syncctl.worker.launch;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** What one task runs as: its pod and the Secret holding its configuration. */
public record TaskPod(Pod pod, Secret secret) {

    /** The Secret owned by the created pod, so the cluster deletes it with the pod whatever happens to us. */
    public Secret secretOwnedBy(Pod created) {
        return new SecretBuilder(secret).editMetadata()
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1").withKind("Pod")
                        .withName(created.getMetadata().getName()).withUid(created.getMetadata().getUid())
                        .withBlockOwnerDeletion(false).withController(false)
                        .build())
                .endMetadata().build();
    }
}
