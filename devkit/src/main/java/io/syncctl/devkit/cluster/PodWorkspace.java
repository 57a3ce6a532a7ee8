package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod's directory on the host: one sub-directory per volume (emptyDir, secret, configMap) and
 * one log file per container; {@code medium: Memory} emptyDirs go to /dev/shm. Secret files get the volume's {@code defaultMode} (0644 unless
 * set), the directory is private to the user running the cluster, and all of it is deleted with
 * the pod.
 */
final class PodWorkspace {

    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final Map<String, Path> volumeDirs = new HashMap<>();
    private final List<Path> memoryDirs = new ArrayList<>();

    private PodWorkspace(Path root) {
        this.root = root;
    }

    /** Creates the pod's directories. Volumes are filled by {@link #mountVolumes}. */
    static PodWorkspace create(Path podsDir, Pod pod) {
        String dirName = pod.getMetadata().getName() + "-" + pod.getMetadata().getUid();
        Path root = podsDir.resolve(pod.getMetadata().getNamespace()).resolve(dirName);
        try {
            Files.createDirectories(root.getParent());
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Files.createDirectories(root.resolve("logs"));
            Files.createDirectories(root.resolve("volumes"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the pod directory " + root, e);
        }
        return new PodWorkspace(root);
    }

    Path root() {
        return root;
    }

    /** Sets up every volume of the pod; throws while a Secret or ConfigMap it needs is missing. */
    void mountVolumes(Pod pod, KubernetesClient client) throws NotReadyException, IOException {
        String namespace = pod.getMetadata().getNamespace();
        for (Volume volume : pod.getSpec().getVolumes()) {
            if (volumeDirs.containsKey(volume.getName())) {
                continue;
            }
            Path dir = root.resolve("volumes").resolve(volume.getName());
            Map<String, byte[]> files;
            Integer mode;
            if (volume.getEmptyDir() != null) {
                if ("Memory".equals(volume.getEmptyDir().getMedium())) {
                    dir = memoryDir(volume.getName());
                }
                files = Map.of();
                mode = null;
            } else if (volume.getSecret() != null) {
                var source = volume.getSecret();
                Secret secret = client.secrets().inNamespace(namespace).withName(source.getSecretName()).get();
                if (secret == null && !Boolean.TRUE.equals(source.getOptional())) {
                    throw notFound(volume, "secret", source.getSecretName());
                }
                files = secret == null ? Map.of() : select(volume, SecretData.of(secret), source.getItems(), source.getOptional());
                mode = source.getDefaultMode();
            } else if (volume.getConfigMap() != null) {
                var source = volume.getConfigMap();
                ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(source.getName()).get();
                if (configMap == null && !Boolean.TRUE.equals(source.getOptional())) {
                    throw notFound(volume, "configmap", source.getName());
                }
                files = configMap == null ? Map.of() : select(volume, configMapFiles(configMap), source.getItems(), source.getOptional());
                mode = source.getDefaultMode();
            } else {
                throw new NotReadyException("ContainerCreating", "volume \"" + volume.getName()
                        + "\": the local cluster supports only emptyDir, secret and configMap volumes");
            }
            Files.createDirectories(dir);
            writeFiles(dir, files, mode == null ? 0644 : mode);
            volumeDirs.put(volume.getName(), dir);
        }
    }

    /** Mount path → host directory for one container (after {@link #mountVolumes}). */
    MountPaths mountsOf(Container container) {
        Map<String, Path> paths = new LinkedHashMap<>();
        for (VolumeMount mount : container.getVolumeMounts()) {
            Path dir = volumeDirs.get(mount.getName());
            if (dir == null) {
                continue; // the API server would have refused such a pod; nothing to map
            }
            String subPath = mount.getSubPath();
            paths.put(mount.getMountPath(), subPath == null || subPath.isEmpty() ? dir : dir.resolve(subPath));
        }
        return MountPaths.of(paths);
    }

    Path logFile(String container) {
        return root.resolve("logs").resolve(container + ".log");
    }

    void delete() {
        memoryDirs.forEach(PodWorkspace::deleteTree);
        deleteTree(root);
    }

    /**
     * A {@code medium: Memory} emptyDir lives in a tmpfs, as on a real node: what the worker unpacks
     * there (connector credentials) never reaches the disk. Falls back to the work dir without /dev/shm.
     */
    private Path memoryDir(String volume) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
            return root.resolve("volumes").resolve(volume);
        }
        Path dir = Files.createTempDirectory(shm, "syncctl-local-pod-", PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
        memoryDirs.add(dir);
        return dir;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover directory under the work dir harms nothing.
        }
    }

    private static NotReadyException notFound(Volume volume, String kind, String name) {
        return new NotReadyException("ContainerCreating", "MountVolume.SetUp failed for volume \"" + volume.getName()
                + "\" : " + kind + " \"" + name + "\" not found");
    }

    private static Map<String, byte[]> decode(Map<String, String> data) {
        Map<String, byte[]> decoded = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((key, value) -> decoded.put(key, Base64.getDecoder().decode(value)));
        }
        return decoded;
    }

    private static Map<String, byte[]> configMapFiles(ConfigMap configMap) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((key, value) -> files.put(key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        files.putAll(decode(configMap.getBinaryData()));
        return files;
    }

    /** Applies {@code items} (key → path) when given, as Kubernetes does; otherwise every key is a file. */
    private static Map<String, byte[]> select(Volume volume, Map<String, byte[]> data, List<KeyToPath> items, Boolean optional)
            throws NotReadyException {
        if (items == null || items.isEmpty()) {
            return data;
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (KeyToPath item : items) {
            byte[] value = data.get(item.getKey());
            if (value == null) {
                if (Boolean.TRUE.equals(optional)) {
                    continue;
                }
                throw new NotReadyException("ContainerCreating", "MountVolume.SetUp failed for volume \"" + volume.getName()
                        + "\" : references non-existent key " + item.getKey());
            }
            files.put(item.getPath(), value);
        }
        return files;
    }

    private static void writeFiles(Path dir, Map<String, byte[]> files, int mode) throws IOException {
        Set<PosixFilePermission> permissions = permissions(mode);
        for (var file : files.entrySet()) {
            Path path = dir.resolve(file.getKey()).normalize();
            if (!path.startsWith(dir)) {
                throw new IOException("volume file path escapes its volume: " + file.getKey());
            }
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }
}
