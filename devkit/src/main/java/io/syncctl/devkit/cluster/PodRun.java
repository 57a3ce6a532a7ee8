package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One pod bound to the node, from volume set-up to its last container's exit: init containers
 * one after another (a failure fails the pod, {@code restartPolicy} is treated as {@code Never}),
 * then the app containers together. Every state change is written to the pod's status. Deletion
 * sends SIGTERM to every container's process group and SIGKILL after the grace period.
 */
final class PodRun {

    private static final Logger LOG = LoggerFactory.getLogger(PodRun.class);
    private static final Duration RETRY = Duration.ofMillis(500);
    /** How long an unknown image shows {@code ErrImagePull} before {@code ImagePullBackOff}. */
    static final Duration PULL_BACK_OFF = Duration.ofSeconds(2);

    private final Pod pod;
    private final NodeContext node;
    private final Runnable onFinished;
    private final Instant startTime = Instant.now();
    private final CountDownLatch deleted = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Object stateLock = new Object();
    private final Object publishLock = new Object();
    private final Map<String, RunState> initStates = new HashMap<>();
    private final Map<String, RunState> states = new HashMap<>();
    private final Map<String, ContainerProcess> processes = new HashMap<>();
    private final PodWorkspace workspace;
    private boolean terminating;
    /** Evicted: containers stopping, none started any more, status still written. */
    private boolean evicting;
    /** The last status written (guarded by publishLock). */
    private PodStatus published;
    private boolean finished;

    PodRun(Pod pod, NodeContext node, Runnable onFinished) {
        this.pod = pod;
        this.node = node;
        this.onFinished = onFinished;
        this.workspace = PodWorkspace.create(node.podsDir(), pod);
    }

    String namespace() {
        return pod.getMetadata().getNamespace();
    }

    String name() {
        return pod.getMetadata().getName();
    }

    void run() {
        try {
            setAll(initContainers(), RunState.waiting("PodInitializing"), initStates);
            setAll(containers(), RunState.waiting(initContainers().isEmpty() ? "ContainerCreating" : "PodInitializing"), states);
            if (!mountVolumes()) {
                return;
            }
            for (Container init : initContainers()) {
                OptionalInt exitCode = runContainer(init, initStates);
                if (exitCode.isEmpty() || exitCode.getAsInt() != 0) {
                    return; // deleted, or failed: the pod is Failed and app containers never start
                }
            }
            List<Thread> threads = new ArrayList<>();
            for (Container container : containers()) {
                threads.add(Thread.ofVirtual().name("container-" + name() + "-" + container.getName())
                        .start(() -> runContainer(container, states)));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            LOG.error("pod {}/{}: the local kubelet failed: {}", namespace(), name(), e.toString());
        } finally {
            boolean gone;
            synchronized (stateLock) {
                finished = true;
                gone = terminating;
            }
            if (gone) {
                workspace.delete();
            }
            LOG.info("pod {}/{}: {}", namespace(), name(), gone ? "removed" : phase());
            ended.countDown();
            onFinished.run();
        }
    }

    /** The pod was deleted: stop its containers (SIGTERM, SIGKILL after the grace period). */
    void terminate() {
        List<ContainerProcess> running;
        boolean done;
        synchronized (stateLock) {
            if (terminating) {
                return;
            }
            terminating = true;
            done = finished;
            running = processes.values().stream().filter(ContainerProcess::isAlive).toList();
        }
        deleted.countDown();
        if (done) {
            workspace.delete();
            return;
        }
        stop(running, "deleted");
    }

    /**
     * The pod is evicted: its containers are stopped as for a deletion, but the pod stays and its
     * status is still written as they exit (the kubelet deletes it after). No container starts after.
     */
    void evict() {
        List<ContainerProcess> running;
        synchronized (stateLock) {
            if (terminating || evicting) {
                return;
            }
            evicting = true;
            running = processes.values().stream().filter(ContainerProcess::isAlive).toList();
        }
        deleted.countDown();
        stop(running, "evicted");
    }

    long gracePeriodSeconds() {
        return Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
    }

    private void stop(List<ContainerProcess> running, String why) {
        if (running.isEmpty()) {
            return;
        }
        long grace = gracePeriodSeconds();
        LOG.info("pod {}/{}: {}, SIGTERM to {} container(s), SIGKILL in {} s", namespace(), name(), why, running.size(), grace);
        running.forEach(p -> p.signalGroup("TERM"));
        node.timers().schedule(() -> running.stream().filter(ContainerProcess::isAlive).forEach(p -> {
            LOG.info("pod {}/{}: grace period over, SIGKILL", namespace(), name());
            p.signalGroup("KILL");
        }), grace, TimeUnit.SECONDS);
    }

    /**
     * Its node is lost: every process dies at once (SIGKILL) and nothing about it is written any more,
     * as when a node stops answering. The pod object stays as it was last written.
     */
    void loseNode() {
        List<ContainerProcess> running;
        synchronized (stateLock) {
            if (terminating) {
                return;
            }
            terminating = true;
            running = processes.values().stream().filter(ContainerProcess::isAlive).toList();
        }
        deleted.countDown();
        LOG.info("pod {}/{}: its node is lost, {} container(s) killed without a trace", namespace(), name(), running.size());
        running.forEach(p -> p.signalGroup("KILL"));
    }

    /** Whether a container of the pod runs an image of one of these repositories. */
    boolean runsAnyOf(java.util.Set<String> repositories) {
        return java.util.stream.Stream.concat(initContainers().stream(), containers().stream())
                .anyMatch(c -> repositories.contains(ImageMap.repository(c.getImage())));
    }

    /** Whether any container has started (an app container runs). */
    boolean running() {
        synchronized (stateLock) {
            return states.values().stream().anyMatch(s -> s instanceof RunState.Running);
        }
    }

    boolean awaitFinished(Duration timeout) {
        try {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL to every container now (shutdown of the whole local cluster). */
    void kill() {
        List<ContainerProcess> running;
        synchronized (stateLock) {
            running = List.copyOf(processes.values());
        }
        running.forEach(p -> p.signalGroup("KILL"));
    }

    /** The container's log, for the log endpoint. */
    PodLogs.Answer log(String container, Integer tailLines) {
        List<String> names = new ArrayList<>();
        containers().forEach(c -> names.add(c.getName()));
        String chosen = container;
        if (chosen == null || chosen.isEmpty()) {
            if (names.size() != 1) {
                return PodLogs.Problem.badRequest("a container name must be specified for pod " + name() + ", choose one of: "
                        + PodStatuses.bracketed(names) + " or one of the init containers: "
                        + PodStatuses.bracketed(initContainers().stream().map(Container::getName).toList()));
            }
            chosen = names.getFirst();
        }
        RunState state;
        synchronized (stateLock) {
            state = states.containsKey(chosen) ? states.get(chosen) : initStates.get(chosen);
        }
        if (state == null) {
            return PodLogs.Problem.badRequest("container " + chosen + " is not valid for pod " + name());
        }
        if (state instanceof RunState.Waiting waiting) {
            return PodLogs.Problem.badRequest("container \"" + chosen + "\" in pod \"" + name() + "\" is waiting to start: " + waiting.reason());
        }
        try {
            return new PodLogs.Text(ContainerLogs.read(workspace.logFile(chosen), tailLines));
        } catch (IOException e) {
            return PodLogs.Problem.notFound("the log of container " + chosen + " is gone: " + e.getMessage());
        }
    }

    private boolean mountVolumes() throws IOException, InterruptedException {
        while (true) {
            try {
                workspace.mountVolumes(pod, node.client());
                return true;
            } catch (NotReadyException e) {
                List<Container> first = initContainers().isEmpty() ? containers() : initContainers().subList(0, 1);
                setAll(first, new RunState.Waiting(e.reason(), e.getMessage()), initContainers().isEmpty() ? states : initStates);
                if (awaitDeleted(RETRY)) {
                    return false;
                }
            }
        }
    }

    /** Runs one container to its end; empty when it never ran to an end (pod deleted first). */
    private OptionalInt runContainer(Container container, Map<String, RunState> stateMap) {
        String name = container.getName();
        try {
            Optional<String> entrypoint = node.images().commandFor(container.getImage());
            if (entrypoint.isEmpty()) {
                set(name, new RunState.Waiting("ErrImagePull", "image \"" + container.getImage()
                        + "\" is not mapped to a local command on this local cluster (map it with --image REPOSITORY=COMMAND)"), stateMap);
                if (!awaitDeleted(PULL_BACK_OFF)) {
                    set(name, new RunState.Waiting("ImagePullBackOff", "Back-off pulling image \"" + container.getImage() + "\""), stateMap);
                    deleted.await();
                }
                return OptionalInt.empty();
            }
            ContainerLaunch launch = null;
            while (launch == null) {
                try {
                    launch = ContainerLaunch.prepare(pod, container, entrypoint.get(), workspace.mountsOf(container),
                            workspace.root(), node.hostEnv(), node.client());
                    if (node.faults().sidecarExits(name, images())) {
                        launch = new ContainerLaunch(List.of("sh", "-c", "echo '" + Faults.SIDECAR_EXIT_MESSAGE + "' >&2; exit 1"),
                                launch.env(), launch.workingDir());
                    }
                } catch (NotReadyException e) {
                    set(name, new RunState.Waiting(e.reason(), e.getMessage()), stateMap);
                    if (awaitDeleted(RETRY)) {
                        return OptionalInt.empty();
                    }
                }
            }
            Path logFile = workspace.logFile(name);
            Instant startedAt = Instant.now();
            ContainerProcess process = null;
            String startError = null;
            synchronized (stateLock) {
                // Under the lock so that a deletion either sees this process or stops it starting.
                if (terminating || evicting) {
                    return OptionalInt.empty();
                }
                try {
                    if (node.faults().neverStarts(container.getImage())) {
                        throw new IOException("failed to start the container's entrypoint (simulated by --fault never-starts)");
                    }
                    process = ContainerProcess.start(launch.argv(), launch.env(), launch.workingDir(), logFile);
                    processes.put(name, process);
                    stateMap.put(name, new RunState.Running(startedAt, process.pid()));
                } catch (IOException e) {
                    startError = e.getMessage();
                }
            }
            if (process == null) {
                appendLine(logFile, "cannot start container " + name + ": " + startError);
                set(name, new RunState.Terminated(128, startedAt, Instant.now(), 0), stateMap);
                return OptionalInt.of(128);
            }
            LOG.info("pod {}/{}: container {} started (pid {})", namespace(), name(), name, process.pid());
            publish();
            int exitCode = process.waitFor();
            LOG.info("pod {}/{}: container {} exited with code {}", namespace(), name(), name, exitCode);
            set(name, new RunState.Terminated(exitCode, startedAt, Instant.now(), process.pid()), stateMap);
            return OptionalInt.of(exitCode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    private boolean awaitDeleted(Duration timeout) throws InterruptedException {
        return deleted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void set(String container, RunState state, Map<String, RunState> stateMap) {
        synchronized (stateLock) {
            if (state.equals(stateMap.put(container, state))) {
                return;
            }
        }
        publish();
    }

    private void setAll(List<Container> containers, RunState state, Map<String, RunState> stateMap) {
        synchronized (stateLock) {
            containers.forEach(c -> stateMap.put(c.getName(), state));
        }
        publish();
    }

    /** Writes the current status; once the pod is deleted there is nothing to write to. */
    private void publish() {
        synchronized (publishLock) {
            PodStatus status;
            synchronized (stateLock) {
                if (terminating) {
                    return;
                }
                status = PodStatuses.keepTransitionTimes(published, status());
            }
            published = status;
            try {
                node.statusWriter().write(pod, status);
            } catch (RuntimeException e) {
                LOG.warn("pod {}/{}: status not written: {}", namespace(), name(), e.toString());
            }
        }
    }

    private PodStatus status() {
        return PodStatuses.of(startTime, Instant.now(), initContainers(), Map.copyOf(initStates), containers(), Map.copyOf(states));
    }

    private String phase() {
        synchronized (stateLock) {
            return status().getPhase();
        }
    }

    private List<String> images() {
        return containers().stream().map(Container::getImage).toList();
    }

    private List<Container> initContainers() {
        return pod.getSpec().getInitContainers();
    }

    private List<Container> containers() {
        return pod.getSpec().getContainers();
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the status already says the container could not start
        }
    }
}
