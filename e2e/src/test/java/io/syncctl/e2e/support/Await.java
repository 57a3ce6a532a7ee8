package io.syncctl.e2e.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Polling until something a user would notice has happened, with a message saying what never did. */
public final class Await {
    private static final long POLL_MILLIS = 250;

    private Await() {
    }

    /** Waits until {@code condition} holds; its exceptions end the wait at once. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        value(what, timeout, () -> condition.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code probe} yields a value and returns it. */
    public static <T> T value(String what, Duration timeout, Callable<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> v;
            try {
                v = probe.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("while waiting for " + what + ": " + e, e);
            }
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
