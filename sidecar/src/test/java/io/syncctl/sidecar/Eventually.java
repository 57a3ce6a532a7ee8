package io.syncctl.sidecar;

/** Waits for what a sidecar process writes to the database while the test goes on feeding it. */
final class Eventually {
    private Eventually() {
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Rows the check reads may not exist yet (the sidecar opens its pipes before it writes its first row): a failed assertion is retried. */
    static void waitFor(Check check) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        AssertionError last = null;
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (AssertionError notYet) {
                last = notYet;
            }
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met in 30 s", last);
            }
            Thread.sleep(50);
        }
    }
}
