package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Starting a cluster, connecting to it through its kubeconfig, and waiting for pod states. */
final class ClusterTestSupport {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private ClusterTestSupport() {
    }

    /** A client built only from the kubeconfig the cluster wrote, as a worker would build it. */
    static KubernetesClient clientFor(LocalCluster cluster) throws IOException {
        Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A cluster with {@code test/shell} mapped to {@code sh}, {@code test/echo} to {@code echo mapped}, plus {@code more} options. */
    static LocalCluster start(Path dir, int capacity, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--kubeconfig", dir.resolve("kubeconfig").toString(),
                "--work-dir", dir.resolve("work").toString(),
                "--capacity", String.valueOf(capacity),
                "--image", "test/shell=sh",
                "--image", "test/echo=echo mapped"));
        args.addAll(List.of(more));
        return LocalCluster.start(ClusterOptions.parse(args.toArray(String[]::new)));
    }

    /** A pod with one container {@code main} running {@code script} with sh. */
    static Pod shellPod(String name, String script) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer().withName("main").withImage("test/shell:1.0").withCommand("sh", "-c", script).endContainer()
                .endSpec()
                .build();
    }

    static Pod awaitPod(KubernetesClient client, String name, Predicate<Pod> condition) {
        Pod[] last = new Pod[1];
        await(() -> {
            last[0] = client.pods().inNamespace("default").withName(name).get();
            return last[0] != null && condition.test(last[0]);
        }, () -> "pod " + name + " never reached the expected state; last seen: " + (last[0] == null ? null : last[0].getStatus()));
        return last[0];
    }

    static Predicate<Pod> phase(String phase) {
        return pod -> pod.getStatus() != null && phase.equals(pod.getStatus().getPhase());
    }

    static Optional<ContainerStatus> container(Pod pod, String name) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        return Stream.concat(pod.getStatus().getInitContainerStatuses().stream(), pod.getStatus().getContainerStatuses().stream())
                .filter(s -> s.getName().equals(name)).findFirst();
    }

    static Optional<String> waitingReason(Pod pod, String container) {
        return container(pod, container).map(ContainerStatus::getState)
                .filter(s -> s.getWaiting() != null).map(s -> s.getWaiting().getReason());
    }

    static void await(BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(failure.get());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
