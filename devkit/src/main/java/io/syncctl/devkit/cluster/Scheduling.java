package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's decision for one pod on the single node, with the messages kube-scheduler
 * writes. Only {@code nodeSelector} and the pod count are considered: affinities, taints and
 * resource requests are not.
 */
final class Scheduling {

    static final String SELECTOR_MISMATCH = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. "
            + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    static final String TOO_MANY_PODS = "0/1 nodes are available: 1 Too many pods. "
            + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";

    private Scheduling() {
    }

    /** Why {@code pod} cannot be placed now, or empty when it can. */
    static Optional<String> unschedulable(Pod pod, Map<String, String> nodeLabels, int podsOnNode, int capacity) {
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && !selector.entrySet().stream().allMatch(e -> e.getValue().equals(nodeLabels.get(e.getKey())))) {
            return Optional.of(SELECTOR_MISMATCH);
        }
        if (podsOnNode >= capacity) {
            return Optional.of(TOO_MANY_PODS);
        }
        return Optional.empty();
    }
}
