package io.syncctl.devkit.cluster;

import java.util.Optional;

/**
 * What the eviction endpoint does for {@code POST /api/v1/namespaces/{ns}/pods/{name}/eviction}
 * ({@code kubectl drain}, preemption, or a test playing one): the pod is stopped without anybody
 * having asked syncctl to cancel it.
 */
@FunctionalInterface
interface PodEvictions {

    /** Empty when the eviction was accepted (it proceeds in the background), else the API error. */
    Optional<PodLogs.Problem> evict(String namespace, String pod);
}
