package io.syncctl.devkit.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local cluster's command line.
 *
 * @param kubeconfig where to write the kubeconfig file clients use
 * @param port       API port on 127.0.0.1, 0 for any free port
 * @param capacity   how many pods run at once; more wait in Pending as on a full node
 * @param workDir    where pod directories live; empty for a temporary directory removed on exit
 * @param images     image repository → local command overrides ({@code --image NAME=COMMAND})
 * @param nodeLabels the node's labels, matched against pods' {@code nodeSelector}
 * @param lostNodeImages image repositories whose pods land on a node that is lost once they run ({@code --lost-node-image})
 * @param faults     failures injected on purpose ({@code --fault KIND=IMAGE})
 */
public record ClusterOptions(Path kubeconfig, int port, int capacity, Optional<Path> workDir,
                             Map<String, String> images, Map<String, String> nodeLabels, Set<String> lostNodeImages,
                             Faults faults) {

    public static final String USAGE = """
            Usage: java -jar devkit/target/local-cluster.jar --kubeconfig FILE [options]

            A single-node Kubernetes simulation for development: an API server (fabric8 mock) and a
            kubelet running pods as local processes. Not a cluster; see devkit/CLUSTER.md.

              --kubeconfig FILE        write a kubeconfig for this cluster to FILE (required)
              --port N                 API port on 127.0.0.1 (default: any free port)
              --capacity N             pods running at once; more wait in Pending (default 8)
              --work-dir DIR           pod directories, volumes and logs (default: a temporary directory)
              --image NAME=COMMAND     run image repository NAME (any tag) as COMMAND; repeatable
              --node-label KEY=VALUE   add a node label; repeatable (defaults: kubernetes.io/hostname=local,
                                       kubernetes.io/os=linux)
              --lost-node-image NAME   a pod with a container of image repository NAME is on a node that is lost
                                       3 s after the pod runs: its processes die without a trace, its status
                                       no longer changes, and it is deleted but stays Terminating until it is
                                       deleted with grace period 0; repeatable
              --fault never-starts=IMAGE   containers of image repository IMAGE never start (exit 128 at once,
                                       as a runtime's StartError); repeatable
              --fault sidecar-exits=IMAGE  in pods running image repository IMAGE, the container named sidecar
                                       exits with code 1 at once; repeatable
              --help                   this text
            """;

    public ClusterOptions {
        images = Map.copyOf(images);
        nodeLabels = Map.copyOf(nodeLabels);
        lostNodeImages = Set.copyOf(lostNodeImages);
    }

    /** The options of a cluster with no lost node and no fault. */
    public ClusterOptions(Path kubeconfig, int port, int capacity, Optional<Path> workDir,
                          Map<String, String> images, Map<String, String> nodeLabels) {
        this(kubeconfig, port, capacity, workDir, images, nodeLabels, Set.of(), Faults.NONE);
    }

    public static Map<String, String> defaultNodeLabels() {
        return Map.of("kubernetes.io/hostname", Kubelet.NODE_NAME, "kubernetes.io/os", "linux");
    }

    /** Thrown for a bad command line; its message says what is wrong, for one line on stderr. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Parses {@code args}; {@code --help} gives an exception whose message is {@link #USAGE}. */
    public static ClusterOptions parse(String... args) throws UsageException {
        Path kubeconfig = null;
        int port = 0;
        int capacity = 8;
        Path workDir = null;
        Map<String, String> images = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>(defaultNodeLabels());
        Set<String> lostNodeImages = new LinkedHashSet<>();
        Map<String, java.util.Set<String>> faults = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new UsageException(USAGE);
            }
            String value;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(option.startsWith("--") ? option + " needs a value" : "unexpected argument: " + option);
            }
            switch (option) {
                case "--kubeconfig" -> kubeconfig = Path.of(value);
                case "--port" -> port = number(option, value, 0, 65535);
                case "--capacity" -> capacity = number(option, value, 1, 10_000);
                case "--work-dir" -> workDir = Path.of(value);
                case "--image" -> pair(option, value, images);
                case "--node-label" -> pair(option, value, labels);
                case "--lost-node-image" -> lostNodeImages.add(ImageMap.repository(value));
                case "--fault" -> {
                    Map<String, String> one = new LinkedHashMap<>();
                    pair(option, value, one);
                    one.forEach((kind, image) -> faults.computeIfAbsent(kind, k -> new java.util.LinkedHashSet<>())
                            .add(ImageMap.repository(image)));
                }
                default -> throw new UsageException("unknown option: " + option + " (see --help)");
            }
        }
        if (kubeconfig == null) {
            throw new UsageException("--kubeconfig FILE is required (see --help)");
        }
        return new ClusterOptions(kubeconfig, port, capacity, Optional.ofNullable(workDir), images, labels, lostNodeImages,
                Faults.of(faults));
    }

    private static int number(String option, String value, int min, int max) throws UsageException {
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw new UsageException(option + " must be between " + min + " and " + max + ", got " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number, got " + value);
        }
    }

    private static void pair(String option, String value, Map<String, String> into) throws UsageException {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new UsageException(option + " must be NAME=VALUE, got " + value);
        }
        into.put(value.substring(0, eq), value.substring(eq + 1));
    }
}
