package io.syncctl.worker.monitor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Runs the latest item per key on an executor, one at a time per key: a burst of events for one pod
 * becomes one run with the newest state, and different pods are handled in parallel.
 */
final class KeyedWorkQueue<T> {
    private final Map<String, T> latest = new ConcurrentHashMap<>();
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final Executor executor;
    private final Consumer<T> handler;

    KeyedWorkQueue(Executor executor, Consumer<T> handler) {
        this.executor = executor;
        this.handler = handler;
    }

    void submit(String key, T item) {
        latest.put(key, item);
        if (scheduled.add(key)) {
            executor.execute(() -> drain(key));
        }
    }

    int pending() {
        return latest.size();
    }

    private void drain(String key) {
        while (true) {
            T item = latest.remove(key);
            if (item == null) {
                scheduled.remove(key);
                // An item may have arrived between remove and un-scheduling: take it over.
                if (latest.containsKey(key) && scheduled.add(key)) {
                    continue;
                }
                return;
            }
            handler.accept(item);
        }
    }
}
