package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to execute for one container: argv, environment and working directory, with mount paths
 * rewritten to the pod's host directories.
 *
 * <p>The environment is the container's own (values, {@code secretKeyRef}, {@code configMapKeyRef},
 * {@code fieldRef}, {@code envFrom}, {@code $(VAR)} references), on top of the image's: the few host
 * variables programs need to run here ({@code PATH}, {@code HOME}, {@code JAVA_HOME}...),
 * {@code HOSTNAME} and {@code AIRBYTE_ENTRYPOINT} = the image's mapped command. Nothing else of
 * the host leaks in, so a container sees only what its pod spec gives it.
 */
record ContainerLaunch(List<String> argv, Map<String, String> env, Path workingDir) {

    private static final List<String> HOST_VARIABLES =
            List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    static ContainerLaunch prepare(Pod pod, Container container, String entrypoint, MountPaths mounts,
                                   Path podDir, Map<String, String> hostEnv, KubernetesClient client) throws NotReadyException {
        Map<String, String> env = new LinkedHashMap<>();
        HOST_VARIABLES.forEach(name -> {
            if (hostEnv.containsKey(name)) {
                env.put(name, hostEnv.get(name));
            }
        });
        env.put("HOSTNAME", pod.getMetadata().getName());
        env.put("AIRBYTE_ENTRYPOINT", entrypoint);

        Map<String, String> own = new LinkedHashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            sourceKeys(pod, from, client).forEach((key, value) -> own.put(prefix + key, value));
        }
        for (EnvVar variable : container.getEnv()) {
            String value = variable.getValueFrom() != null
                    ? valueFrom(pod, variable, client)
                    : expand(variable.getValue() == null ? "" : variable.getValue(), own);
            if (value != null) {
                own.put(variable.getName(), value);
            }
        }
        own.forEach((name, value) -> env.put(name, mounts.rewrite(value)));

        // Only what the pod spec says is rewritten to the pod's mounts: the mapped entrypoint is a path on this
        // machine, and may itself lie below a mount path (a checkout under /tmp, where the sidecar mounts /tmp).
        List<String> argv = new ArrayList<>();
        List<String> args = mounts.rewrite(container.getArgs().stream().map(a -> expand(a, own)).toList());
        if (container.getCommand().isEmpty()) {
            // The image's entrypoint is the mapped command line: let the shell split it, args follow. `exec`
            // makes the entrypoint the container's process, as an exec-form ENTRYPOINT is in a real container:
            // without it the shell (dash does not exec a -c command) dies of the pod's SIGTERM at once while
            // the program is still handling it, and the container counts as ended before the program is.
            argv.addAll(List.of("sh", "-c", "exec " + entrypoint + " \"$@\"", container.getName()));
        } else {
            argv.addAll(mounts.rewrite(container.getCommand().stream().map(c -> expand(c, own)).toList()));
        }
        argv.addAll(args);

        String workingDir = container.getWorkingDir();
        Path dir = workingDir == null || workingDir.isEmpty() ? podDir : Path.of(mounts.rewrite(workingDir));
        return new ContainerLaunch(argv, env, dir);
    }

    /** Kubernetes' {@code $(VAR)} expansion: known variables are replaced, {@code $$} escapes, others stay. */
    static String expand(String text, Map<String, String> variables) {
        Matcher matcher = REFERENCE.matcher(text);
        return matcher.replaceAll(m -> {
            if (m.group(1) == null) {
                return "\\$";
            }
            String value = variables.get(m.group(1));
            return Matcher.quoteReplacement(value == null ? m.group() : value);
        });
    }

    private static String valueFrom(Pod pod, EnvVar variable, KubernetesClient client) throws NotReadyException {
        EnvVarSource source = variable.getValueFrom();
        String namespace = pod.getMetadata().getNamespace();
        if (source.getSecretKeyRef() != null) {
            var ref = source.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
            if (secret == null) {
                return missing(optional, "secret \"" + ref.getName() + "\" not found");
            }
            byte[] value = SecretData.of(secret).get(ref.getKey());
            if (value == null) {
                return missing(optional, "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return new String(value, StandardCharsets.UTF_8);
        }
        if (source.getConfigMapKeyRef() != null) {
            var ref = source.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
            if (configMap == null) {
                return missing(optional, "configmap \"" + ref.getName() + "\" not found");
            }
            String value = configMap.getData() == null ? null : configMap.getData().get(ref.getKey());
            if (value == null) {
                return missing(optional, "couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return value;
        }
        if (source.getFieldRef() != null) {
            return field(pod, source.getFieldRef());
        }
        throw new NotReadyException("CreateContainerConfigError",
                "env " + variable.getName() + ": only secretKeyRef, configMapKeyRef and fieldRef are supported by the local cluster");
    }

    private static String missing(boolean optional, String message) throws NotReadyException {
        if (optional) {
            return null;
        }
        throw new NotReadyException("CreateContainerConfigError", message);
    }

    private static String field(Pod pod, ObjectFieldSelector selector) throws NotReadyException {
        String path = selector.getFieldPath();
        var metadata = pod.getMetadata();
        Matcher keyed = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)']").matcher(path);
        if (keyed.matches()) {
            Map<String, String> map = keyed.group(1).equals("labels") ? metadata.getLabels() : metadata.getAnnotations();
            return map == null ? "" : map.getOrDefault(keyed.group(2), "");
        }
        return switch (path) {
            case "metadata.name" -> metadata.getName();
            case "metadata.namespace" -> metadata.getNamespace();
            case "metadata.uid" -> metadata.getUid();
            case "spec.nodeName" -> Kubelet.NODE_NAME;
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
            case "status.hostIP", "status.podIP" -> PodStatuses.HOST_IP;
            default -> throw new NotReadyException("CreateContainerConfigError",
                    "fieldRef " + path + " is not supported by the local cluster");
        };
    }

    private static Map<String, String> sourceKeys(Pod pod, EnvFromSource from, KubernetesClient client) throws NotReadyException {
        String namespace = pod.getMetadata().getNamespace();
        Map<String, String> values = new LinkedHashMap<>();
        if (from.getSecretRef() != null) {
            Secret secret = client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
            if (secret == null) {
                missing(Boolean.TRUE.equals(from.getSecretRef().getOptional()), "secret \"" + from.getSecretRef().getName() + "\" not found");
            } else {
                SecretData.of(secret).forEach((k, v) -> values.put(k, new String(v, StandardCharsets.UTF_8)));
            }
        } else if (from.getConfigMapRef() != null) {
            ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(from.getConfigMapRef().getName()).get();
            if (configMap == null) {
                missing(Boolean.TRUE.equals(from.getConfigMapRef().getOptional()), "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
            } else if (configMap.getData() != null) {
                values.putAll(configMap.getData());
            }
        }
        return values;
    }
}
