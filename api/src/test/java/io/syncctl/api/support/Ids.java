package io.syncctl.api.support;

import java.util.UUID;

/** Unique client ids per test run, so tests never see each other's rows. */
public final class Ids {
    private Ids() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }
}
