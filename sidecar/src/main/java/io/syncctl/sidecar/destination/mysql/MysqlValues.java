package io.syncctl.sidecar.destination.mysql;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * JSON values as MySQL reads them in {@code LOAD DATA}, where the server would otherwise guess: pure
 * functions over the raw bytes of a value.
 * <ul>
 * <li>Timestamps: MySQL takes neither the {@code T} with a zone nor offsets (MariaDB drops the offset
 * silently), so RFC 3339 / ISO 8601 text is converted here to UTC {@code YYYY-MM-DD HH:MM:SS[.ffffff]}
 * (the session's time zone is UTC). A value that is not such a timestamp, or that a {@code TIMESTAMP}
 * cannot hold (before 1970-01-01 00:00:01 or after 2038-01-19 03:14:07 UTC), is NULL instead of the
 * zero date MySQL would store with a warning.</li>
 * <li>Booleans: {@code boolean} is {@code tinyint(1)}, which reads {@code true} as 0; they become 1 and 0.</li>
 * </ul>
 */
final class MysqlValues {
    private static final long MIN_EPOCH = 1;
    private static final long MAX_EPOCH = Integer.MAX_VALUE;

    private MysqlValues() {
    }

    /**
     * Writes the UTC literal of the timestamp text {@code b[from, to)} into {@code out} (at least 26 bytes)
     * and returns its length, or -1 when it is not a timestamp a MySQL {@code TIMESTAMP} can hold.
     * Accepted: {@code YYYY-MM-DD}, optionally followed by {@code T} or a space, {@code HH:MM}, optional
     * {@code :SS}, optional fraction ({@code .} or {@code ,}, digits beyond microseconds cut), optional
     * zone {@code Z} or {@code ±HH[:MM]} / {@code ±HHMM}.
     */
    static int timestamp(byte[] b, int from, int to, byte[] out) {
        int p = from;
        int year = digits(b, p, to, 4);
        if (year < 0 || !is(b, p + 4, to, '-')) {
            return -1;
        }
        int month = digits(b, p + 5, to, 2);
        if (month < 0 || !is(b, p + 7, to, '-')) {
            return -1;
        }
        int day = digits(b, p + 8, to, 2);
        if (day < 0) {
            return -1;
        }
        p += 10;
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        int offsetSeconds = 0;
        if (p < to) {
            if (b[p] != 'T' && b[p] != 't' && b[p] != ' ') {
                return -1;
            }
            hour = digits(b, p + 1, to, 2);
            if (hour < 0 || !is(b, p + 3, to, ':')) {
                return -1;
            }
            minute = digits(b, p + 4, to, 2);
            if (minute < 0) {
                return -1;
            }
            p += 6;
            if (is(b, p, to, ':')) {
                second = digits(b, p + 1, to, 2);
                if (second < 0) {
                    return -1;
                }
                p += 3;
                if (is(b, p, to, '.') || is(b, p, to, ',')) {
                    p++;
                    int n = 0;
                    int scale = 100_000_000;
                    while (p < to && b[p] >= '0' && b[p] <= '9') {
                        nanos += (b[p] - '0') * scale;
                        scale /= 10;
                        p++;
                        n++;
                    }
                    if (n == 0) {
                        return -1;
                    }
                }
            }
            if (p < to) {
                byte z = b[p];
                if ((z == 'Z' || z == 'z') && p + 1 == to) {
                    p++;
                } else if (z == '+' || z == '-') {
                    int oh = digits(b, p + 1, to, 2);
                    int om = 0;
                    int end = p + 3;
                    if (is(b, end, to, ':')) {
                        om = digits(b, end + 1, to, 2);
                        end += 3;
                    } else if (end < to) {
                        om = digits(b, end, to, 2);
                        end += 2;
                    }
                    if (oh < 0 || om < 0 || oh > 18 || om > 59 || end != to) {
                        return -1;
                    }
                    offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                    p = end;
                } else {
                    return -1;
                }
            }
        }
        if (p != to) {
            return -1;
        }
        if (offsetSeconds == 0 && year > 1970 && year < 2038 && month >= 1 && month <= 12 && day >= 1
                && day <= daysIn(year, month) && hour < 24 && minute < 60 && second < 60) {
            // the usual case (UTC, well inside TIMESTAMP's range): no date arithmetic
            return format(out, year, month, day, hour, minute, second, nanos);
        }
        LocalDateTime t;
        try {
            t = LocalDateTime.of(year, month, day, hour, minute, second, nanos).minusSeconds(offsetSeconds);
        } catch (DateTimeException e) {
            return -1;
        }
        long epoch = t.toEpochSecond(ZoneOffset.UTC);
        if (epoch < MIN_EPOCH || epoch > MAX_EPOCH) {
            return -1;
        }
        return format(out, t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano());
    }

    private static int format(byte[] out, int year, int month, int day, int hour, int minute, int second, int nanos) {
        int n = 0;
        n = put(out, n, year, 4);
        out[n++] = '-';
        n = put(out, n, month, 2);
        out[n++] = '-';
        n = put(out, n, day, 2);
        out[n++] = ' ';
        n = put(out, n, hour, 2);
        out[n++] = ':';
        n = put(out, n, minute, 2);
        out[n++] = ':';
        n = put(out, n, second, 2);
        int micros = nanos / 1000;
        if (micros > 0) {
            out[n++] = '.';
            n = put(out, n, micros, 6);
        }
        return n;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** 1 or 0 for a boolean's text ({@code true/false, t/f, yes/no, y/n, on/off, 1/0}, any case), -1 otherwise. */
    static int bool(byte[] b, int from, int to) {
        String s = new String(b, from, to - from, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "t", "yes", "y", "on", "1" -> 1;
            case "false", "f", "no", "n", "off", "0" -> 0;
            default -> -1;
        };
    }

    private static boolean is(byte[] b, int at, int to, char c) {
        return at < to && b[at] == c;
    }

    private static int digits(byte[] b, int at, int to, int n) {
        if (at + n > to) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + n; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static int put(byte[] out, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + width;
    }
}
