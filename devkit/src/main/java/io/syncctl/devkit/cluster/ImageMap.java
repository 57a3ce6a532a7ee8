package io.syncctl.devkit.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps container images to local commands. There is no container engine here, so an image is
 * "pulled" when its repository (the name without tag or digest) has a mapping.
 *
 * <p>The mapped command is what the image's entrypoint would be: a shell command line. A container
 * without its own {@code command} runs {@code <mapped command> <args>}; a container with a
 * {@code command} runs that command (with the host's programs, e.g. {@code sh}) and finds the
 * mapped command in {@code $AIRBYTE_ENTRYPOINT}, which is how Airbyte images expose their
 * entrypoint.
 */
public record ImageMap(Map<String, String> commands) {

    public ImageMap {
        commands = Map.copyOf(commands);
    }

    /** The images syncctl uses, relative to the repository root {@code repo}. */
    public static ImageMap defaults(Path repo) {
        Map<String, String> commands = new LinkedHashMap<>();
        commands.put("syncctl/sidecar", repo.resolve("sidecar/bin/sidecar").toString());
        commands.put("syncctl/source-synthetic", repo.resolve("devkit/bin/source-synthetic").toString());
        // The init container's script needs sh, mkfifo, base64 and gunzip: the host's do.
        commands.put("busybox", "sh");
        return new ImageMap(commands);
    }

    /** This map with {@code overrides} replacing or adding entries. */
    public ImageMap with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(commands);
        overrides.forEach((image, command) -> merged.put(repository(image), command));
        return new ImageMap(merged);
    }

    /** The local command for {@code image}, whatever its tag or digest, if it is mapped. */
    public Optional<String> commandFor(String image) {
        String repository = repository(image);
        String command = commands.get(repository);
        if (command == null) {
            command = commands.get(withoutRegistry(repository));
        }
        return Optional.ofNullable(command);
    }

    /** {@code registry:5000/org/name:tag@sha256:...} → {@code registry:5000/org/name}. */
    static String repository(String image) {
        String name = image.trim();
        int digest = name.indexOf('@');
        if (digest >= 0) {
            name = name.substring(0, digest);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            name = name.substring(0, colon);
        }
        return name;
    }

    /** The repository without tag, digest, registry host or {@code library/}: {@code docker.io/library/busybox:1} → {@code busybox}. */
    static String bareRepository(String image) {
        return withoutRegistry(repository(image));
    }

    /** Drops a registry host ({@code docker.io/}, {@code localhost:5000/}) and Docker Hub's {@code library/}. */
    private static String withoutRegistry(String repository) {
        String name = repository;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                name = name.substring(slash + 1);
            }
        }
        return name.startsWith("library/") ? name.substring("library/".length()) : name;
    }
}
