package io.syncctl.worker.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.syncctl.shared.config.InvalidSettingException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns SYNCCTL_KUBERNETES_CLIENT_CONFIG and SYNCCTL_KUBERNETES_CONTEXT into a fabric8 {@link Config}:
 * {@code local} means in-cluster (the pod's service account), a value that looks like YAML is the
 * kubeconfig itself, anything else a path to a kubeconfig file. Empty when the variable is unset, so
 * the standard discovery (KUBECONFIG, ~/.kube/config, in-cluster) applies.
 */
public final class KubernetesConnection {
    static final String VARIABLE = "SYNCCTL_KUBERNETES_CLIENT_CONFIG";

    private KubernetesConnection() {
    }

    public static Optional<Config> config(String clientConfig, String context) {
        if (clientConfig == null || clientConfig.isBlank()) {
            return Optional.empty();
        }
        String value = clientConfig.strip();
        if (value.equals("local")) {
            // In a pod, with no kubeconfig around, auto-configuration uses the mounted service account.
            return Optional.of(Config.autoConfigure(context));
        }
        if (value.contains("\n") || value.startsWith("apiVersion:") || value.startsWith("{")) {
            return Optional.of(fromYaml(value, context, null));
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            throw new InvalidSettingException(VARIABLE, "names a file that does not exist or cannot be read (use kubeconfig YAML, a path, or local)");
        }
        try {
            return Optional.of(fromYaml(Files.readString(path), context, path.toString()));
        } catch (IOException e) {
            throw new InvalidSettingException(VARIABLE, "names a file that cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** A copy of {@code config} whose requests are not retried inside the client. */
    public static Config withoutClientRetries(Config config) {
        return new io.fabric8.kubernetes.client.ConfigBuilder(config).withRequestRetryBackoffLimit(0).build();
    }

    private static Config fromYaml(String yaml, String context, String path) {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = KubeConfigUtils.parseConfigFromString(yaml);
        } catch (RuntimeException e) {
            // The message of a kubeconfig parse error may quote the file (tokens included): name the problem only.
            throw new InvalidSettingException(VARIABLE, "is not a valid kubeconfig (" + e.getClass().getSimpleName() + ")");
        }
        if (context != null && (parsed.getContexts() == null
                || parsed.getContexts().stream().noneMatch(c -> context.equals(c.getName())))) {
            throw new InvalidSettingException("SYNCCTL_KUBERNETES_CONTEXT", "names a context the kubeconfig does not have");
        }
        try {
            return Config.fromKubeconfig(context, yaml, path);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(VARIABLE, "is not a usable kubeconfig (" + e.getClass().getSimpleName() + ")");
        }
    }
}
