package io.syncctl.devkit.cluster;

import java.util.Map;
import java.util.Set;

/**
 * Failures the local cluster injects on purpose ({@code --fault KIND=REPOSITORY}), so tests can show
 * that no task waits forever when a container of its pod misbehaves. Images are matched by repository,
 * whatever the tag, digest or registry host.
 *
 * @param neverStarts   {@code never-starts}: a container running one of these images never starts; its
 *                      status is terminated with exit code 128 at once, as when a runtime cannot start the
 *                      image's entrypoint (Kubernetes' {@code StartError})
 * @param sidecarExits  {@code sidecar-exits}: in a pod one of whose containers runs one of these images, the
 *                      container named {@code sidecar} exits with code 1 at once, before it opens anything
 */
public record Faults(Set<String> neverStarts, Set<String> sidecarExits) {

    public static final Faults NONE = new Faults(Set.of(), Set.of());
    static final String SIDECAR = "sidecar";
    static final String SIDECAR_EXIT_MESSAGE = "sidecar exited at once (simulated by --fault sidecar-exits)";

    public Faults {
        neverStarts = neverStarts.stream().map(ImageMap::bareRepository).collect(java.util.stream.Collectors.toUnmodifiableSet());
        sidecarExits = sidecarExits.stream().map(ImageMap::bareRepository).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Parses the pairs {@code kind → repositories} of the command line; unknown kinds are refused. */
    static Faults of(Map<String, Set<String>> byKind) throws ClusterOptions.UsageException {
        for (String kind : byKind.keySet()) {
            if (!kind.equals("never-starts") && !kind.equals("sidecar-exits")) {
                throw new ClusterOptions.UsageException("--fault must be never-starts=IMAGE or sidecar-exits=IMAGE, got " + kind);
            }
        }
        return new Faults(byKind.getOrDefault("never-starts", Set.of()), byKind.getOrDefault("sidecar-exits", Set.of()));
    }

    boolean neverStarts(String image) {
        return neverStarts.contains(ImageMap.bareRepository(image));
    }

    /** Whether {@code container} of a pod running {@code podImages} is a sidecar made to exit at once. */
    boolean sidecarExits(String container, java.util.Collection<String> podImages) {
        return container.equals(SIDECAR) && podImages.stream().map(ImageMap::bareRepository).anyMatch(sidecarExits::contains);
    }
}
