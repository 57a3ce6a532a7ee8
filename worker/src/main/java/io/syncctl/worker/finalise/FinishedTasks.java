package io.syncctl.worker.finalise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The tasks this worker has seen ended in the database, most recent first, at most {@code capacity}.
 * Lets the monitor drop the events that follow an end (the pod's deletion, resyncs of an ended pod)
 * without asking the database again. Only a confirmed end goes in, so forgetting one (eviction, a
 * restart) merely costs one database read.
 */
public final class FinishedTasks {
    private final Map<UUID, Boolean> recent;

    public FinishedTasks(int capacity) {
        this.recent = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void add(UUID taskId) {
        recent.put(taskId, Boolean.TRUE);
    }

    public synchronized boolean contains(UUID taskId) {
        return recent.containsKey(taskId);
    }
}
