package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node: schedules the pods created in the API onto itself (node selector, capacity), runs
 * them as local processes ({@link PodRun}), stops them when they are deleted and then collects
 * the Secrets they owned. Pods wait in creation order while the node is full.
 */
final class Kubelet implements AutoCloseable {

    static final String NODE_NAME = "local";
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How long a pod on a lost node runs before its node is lost ({@code --lost-node-image}). */
    static final Duration LOST_AFTER = Duration.ofSeconds(3);
    /**
     * Keeps a deleted pod of a lost node in the API, Terminating, as a real API server keeps it while
     * its node never confirms the end; {@link ApiServer} drops it when the pod is deleted with grace 0.
     */
    static final String LOST_NODE_FINALIZER = "devkit.syncctl.io/lost-node";
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

    private final NodeContext node;
    private final Map<String, String> nodeLabels;
    private final int capacity;
    private final Set<String> lostNodeImages;
    private final SecretCollector secretCollector;
    /** Pods waiting for the scheduler, by uid, in arrival order, with the message last written. */
    private final Map<String, Waiting> pending = new LinkedHashMap<>();
    /** Pods bound to the node (running or finished) until they are deleted, by uid. */
    private final Map<String, PodRun> bound = new HashMap<>();
    private final ReentrantLock scheduling = new ReentrantLock();
    private int podsOnNode;
    private volatile SharedIndexInformer<Pod> informer;

    private record Waiting(Pod pod, String message) {
    }

    Kubelet(NodeContext node, Map<String, String> nodeLabels, int capacity, Set<String> lostNodeImages) {
        this.node = node;
        this.nodeLabels = Map.copyOf(nodeLabels);
        this.capacity = capacity;
        this.lostNodeImages = Set.copyOf(lostNodeImages);
        this.secretCollector = new SecretCollector(node.client(), this::cachedAlive);
    }

    void start() {
        informer = node.client().pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                added(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (newPod.getMetadata().getDeletionTimestamp() != null) {
                    gone(newPod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                gone(pod);
            }
        });
        node.timers().scheduleWithFixedDelay(this::collectSecrets, 1, 1, TimeUnit.SECONDS);
    }

    /** The log endpoint's source: what the pod's containers printed. */
    PodLogs.Answer logs(String namespace, String name, String container, Integer tailLines) {
        PodRun found = null;
        synchronized (this) {
            for (PodRun run : bound.values()) {
                if (run.namespace().equals(namespace) && run.name().equals(name)) {
                    found = run;
                }
            }
            if (found == null && pending.values().stream().map(Waiting::pod)
                    .anyMatch(p -> p.getMetadata().getNamespace().equals(namespace) && p.getMetadata().getName().equals(name))) {
                return PodLogs.Problem.badRequest("pod " + name + " does not have a host assigned");
            }
        }
        // Read outside the lock: a big log must not hold up scheduling.
        return found != null ? found.log(container, tailLines) : PodLogs.Problem.notFound("pods \"" + name + "\" not found");
    }

    /**
     * The eviction API: the pod's containers get SIGTERM (SIGKILL after the grace period) as for a
     * deletion, but nobody asked syncctl to cancel. As on a real node, the pod stays in the API while
     * its containers stop, its status written as they exit, and is deleted once they have; a pod still
     * waiting for the scheduler is deleted at once. (Unlike Kubernetes, the simulation does not set a
     * deletionTimestamp meanwhile.)
     */
    Optional<PodLogs.Problem> evict(String namespace, String name) {
        PodRun run = null;
        Pod waiting = null;
        synchronized (this) {
            for (PodRun r : bound.values()) {
                if (r.namespace().equals(namespace) && r.name().equals(name)) {
                    run = r;
                }
            }
            for (Waiting w : pending.values()) {
                if (w.pod().getMetadata().getNamespace().equals(namespace) && w.pod().getMetadata().getName().equals(name)) {
                    waiting = w.pod();
                }
            }
        }
        if (run == null && waiting == null) {
            return Optional.of(PodLogs.Problem.notFound("pods \"" + name + "\" not found"));
        }
        PodRun evicted = run;
        LOG.info("pod {}/{}: evicted", namespace, name);
        Thread.ofVirtual().name("evict-" + name).start(() -> {
            if (evicted != null) {
                evicted.evict();
                evicted.awaitFinished(Duration.ofSeconds(evicted.gracePeriodSeconds() + 10));
            }
            try {
                node.client().pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
            } catch (RuntimeException e) {
                LOG.warn("pod {}/{}: not deleted after its eviction: {}", namespace, name, e.toString());
            }
        });
        return Optional.empty();
    }

    private void added(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (pod.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return;
        }
        synchronized (this) {
            String uid = pod.getMetadata().getUid();
            if (bound.containsKey(uid) || pending.containsKey(uid)) {
                return;
            }
            pending.put(uid, new Waiting(pod, null));
        }
        schedule();
    }

    private void gone(Pod pod) {
        PodRun run;
        synchronized (this) {
            String uid = pod.getMetadata().getUid();
            pending.remove(uid);
            run = bound.remove(uid);
        }
        if (run != null) {
            run.terminate();
        }
        node.timers().execute(this::collectSecrets);
        schedule();
    }

    /** Binds what fits, in arrival order; tells the others why they wait. */
    private void schedule() {
        // One pass at a time, writes included, so that a stale "Unschedulable" can never land
        // after the status of a run a later pass started.
        scheduling.lock();
        try {
            schedulePass();
        } finally {
            scheduling.unlock();
        }
    }

    private void schedulePass() {
        Map<Pod, PodStatus> unschedulable = new LinkedHashMap<>();
        List<PodRun> toStart = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Waiting>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Pod pod = entry.getValue().pod();
                Optional<String> reason = Scheduling.unschedulable(pod, nodeLabels, podsOnNode, capacity);
                if (reason.isEmpty()) {
                    it.remove();
                    podsOnNode++;
                    PodRun run;
                    try {
                        run = new PodRun(pod, node, this::released);
                    } catch (RuntimeException e) {
                        podsOnNode--;
                        LOG.error("pod {}/{}: cannot be set up: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
                        continue;
                    }
                    bound.put(entry.getKey(), run);
                    toStart.add(run);
                } else if (!reason.get().equals(entry.getValue().message())) {
                    entry.setValue(new Waiting(pod, reason.get()));
                    unschedulable.put(pod, PodStatuses.unschedulable(reason.get(), Instant.now()));
                }
            }
        }
        unschedulable.forEach((pod, status) -> {
            LOG.info("pod {}/{}: Pending, {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), status.getConditions().getFirst().getMessage());
            try {
                node.statusWriter().write(pod, status);
            } catch (RuntimeException e) {
                LOG.warn("pod {}/{}: status not written: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.toString());
            }
        });
        toStart.forEach(run -> {
            LOG.info("pod {}/{}: scheduled", run.namespace(), run.name());
            Thread.ofVirtual().name("pod-" + run.name()).start(run::run);
            if (run.runsAnyOf(lostNodeImages)) {
                Thread.ofVirtual().name("lose-node-" + run.name()).start(() -> loseNodeOf(run));
            }
        });
    }

    /**
     * Once the pod runs, its node is lost: the processes die without a trace, and the node controller
     * deletes the pod, which stays Terminating (a finalizer keeps it) as nothing will confirm its end.
     */
    private void loseNodeOf(PodRun run) {
        try {
            while (!run.running()) {
                if (run.awaitFinished(Duration.ofMillis(200))) {
                    return; // ended or deleted before it ran
                }
            }
            if (run.awaitFinished(LOST_AFTER)) {
                return;
            }
            run.loseNode();
            var pod = node.client().pods().inNamespace(run.namespace()).withName(run.name());
            pod.edit(p -> {
                List<String> finalizers = new ArrayList<>(p.getMetadata().getFinalizers());
                finalizers.add(LOST_NODE_FINALIZER);
                p.getMetadata().setFinalizers(finalizers);
                return p;
            });
            pod.delete();
            LOG.info("pod {}/{}: deleted by the node controller; it stays Terminating until it is deleted with grace period 0",
                    run.namespace(), run.name());
        } catch (RuntimeException e) {
            LOG.warn("pod {}/{}: could not simulate its lost node: {}", run.namespace(), run.name(), e.toString());
        }
    }

    /** A pod ended (all containers exited, or deleted and stopped): its slot is free. */
    private void released() {
        synchronized (this) {
            podsOnNode--;
        }
        schedule();
    }

    private boolean cachedAlive(String namespace, OwnerReference owner) {
        SharedIndexInformer<Pod> pods = informer;
        Pod pod = pods == null ? null : pods.getStore().getByKey(namespace + "/" + owner.getName());
        return pod != null && owner.getUid().equals(pod.getMetadata().getUid());
    }

    private void collectSecrets() {
        try {
            secretCollector.sweep();
        } catch (RuntimeException e) {
            LOG.warn("secret garbage collection failed: {}", e.toString());
        }
    }

    /** Stops every pod's processes: SIGTERM, then SIGKILL after at most {@link #SHUTDOWN_GRACE}. */
    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        List<PodRun> runs;
        synchronized (this) {
            runs = new ArrayList<>(bound.values());
            bound.clear();
            pending.clear();
        }
        runs.forEach(PodRun::terminate);
        long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        for (PodRun run : runs) {
            if (!run.awaitFinished(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                run.kill();
            }
        }
    }
}
