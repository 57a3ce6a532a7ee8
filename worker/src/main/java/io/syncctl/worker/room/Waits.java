package io.syncctl.worker.room;

import java.time.Duration;

/** Spans of waiting in the words users read: {@code 45 s}, {@code 2 min 5 s}, {@code 1 h 30 min}. */
public final class Waits {
    private Waits() {
    }

    public static String words(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        long minutes = s / 60 % 60;
        return s / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }
}
