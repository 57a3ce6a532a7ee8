package io.syncctl.devkit.source;

import java.time.LocalDate;

/**
 * Formats epoch seconds as RFC 3339 UTC ({@code 2024-01-01T00:00:01Z}) into a {@link RecordEncoder}
 * without allocating: consecutive records share a day, so the date part is cached.
 */
final class DateTimeText {
    private long cachedDay = Long.MIN_VALUE;
    private byte[] datePrefix;

    void write(RecordEncoder to, long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        if (day != cachedDay) {
            cachedDay = day;
            datePrefix = RecordEncoder.ascii(LocalDate.ofEpochDay(day) + "T");
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        to.put(datePrefix);
        to.put2(secondOfDay / 3600);
        to.put((byte) ':');
        to.put2(secondOfDay / 60 % 60);
        to.put((byte) ':');
        to.put2(secondOfDay % 60);
        to.put((byte) 'Z');
    }
}
