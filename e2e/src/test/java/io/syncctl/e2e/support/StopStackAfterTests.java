package io.syncctl.e2e.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the shared {@link Stack} (every process tree it started, pods included) when the test run
 * ends, whatever the outcome. Registered in META-INF/services.
 */
public final class StopStackAfterTests implements LauncherSessionListener {
    private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // A JVM ended by a signal or System.exit still takes its processes along.
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(Stack::stopIfStarted, "e2e-stack-stop"));
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Stack.stopIfStarted();
    }
}
