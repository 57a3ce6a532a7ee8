package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/** What every pod run on the node shares. */
record NodeContext(KubernetesClient client, ImageMap images, Path podsDir, Map<String, String> hostEnv,
                   StatusWriter statusWriter, ScheduledExecutorService timers, Faults faults) {
}
