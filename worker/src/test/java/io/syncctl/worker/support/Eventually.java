package io.syncctl.worker.support;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for something the worker does asynchronously (watch events, jobs). */
public final class Eventually {
    private Eventually() {
    }

    public static <T> T await(Duration timeout, String what, Callable<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    public static <T> T await(String what, Callable<T> probe) {
        return await(Duration.ofSeconds(20), what, probe);
    }
}
