package io.syncctl.devkit.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes RECORD lines straight into a reusable byte buffer: the source feeds benchmarks of
 * 100k+ records/s, so no per-record object trees or string formatting.
 *
 * <p>A record is a pure function of (seed, stream index, id): the same config gives the same
 * data on every run and machine, and an incremental run can resume at any id.
 * {@code data} is {@code {"id":..,"updated_at":..,"name":..,"amount":..,"active":..,"payload":..}}
 * and {@code payload} pads its serialized size to {@code record_bytes}.
 */
final class RecordEncoder {
    /** The cursor of record {@code id} is this instant plus {@code id} seconds. */
    static final long CURSOR_EPOCH_SECOND = 1_704_067_200L; // 2024-01-01T00:00:00Z

    private static final String[] NAMES = {
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
        "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil",
        "trent", "ursula", "victor", "walter", "xavier", "yvonne", "zoe", "quentin"};
    private static final byte[][] NAME_BYTES = Arrays.stream(NAMES).map(RecordEncoder::ascii).toArray(byte[][]::new);
    private static final byte[] ALPHABET = ascii("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    private static final int PADDING_SOURCE_LENGTH = 8192;

    private static final byte[] LINE_START = ascii("{\"type\":\"RECORD\",\"record\":{\"stream\":\"");
    private static final byte[] DATA_ID = ascii("\",\"data\":{\"id\":");
    private static final byte[] UPDATED_AT = ascii(",\"updated_at\":\"");
    private static final byte[] NAME = ascii("\",\"name\":\"");
    private static final byte[] AMOUNT = ascii("\",\"amount\":");
    private static final byte[] ACTIVE_TRUE = ascii(",\"active\":true");
    private static final byte[] ACTIVE_FALSE = ascii(",\"active\":false");
    private static final byte[] PAYLOAD = ascii(",\"payload\":\"");
    private static final byte[] EMITTED_AT = ascii("\"},\"emitted_at\":");
    private static final byte[] LINE_END = ascii("}}\n");

    private final long seed;
    private final int recordBytes;
    /** Deterministic random letters that payloads are cut from. */
    private final byte[] paddingSource;
    private final DateTimeText timestamps = new DateTimeText();
    private byte[] buf = new byte[1024];
    private int len;

    RecordEncoder(long seed, int recordBytes) {
        this.seed = seed;
        this.recordBytes = recordBytes;
        SplittableRandom random = new SplittableRandom(seed);
        paddingSource = new byte[PADDING_SOURCE_LENGTH];
        for (int i = 0; i < paddingSource.length; i++) paddingSource[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }

    /** Encodes one RECORD line (ending in a newline) into {@link #buffer()}; returns its length. */
    int encode(byte[] streamName, int streamIndex, long id, long emittedAtMillis) {
        long h = mix(seed + mix(streamIndex * 0x9E3779B97F4A7C15L + id));
        len = 0;
        put(LINE_START);
        put(streamName);
        put(DATA_ID);
        int dataStart = len - "{\"id\":".length();
        putLong(id);
        put(UPDATED_AT);
        timestamps.write(this, CURSOR_EPOCH_SECOND + id);
        put(NAME);
        byte[] name = NAME_BYTES[(int) ((h >>> 1) % NAME_BYTES.length)];
        put(name);
        put((byte) '-');
        putLong((h >>> 16) % 10_000);
        put(AMOUNT);
        long cents = (h >>> 24) % 10_000_000L;
        putLong(cents / 100);
        put((byte) '.');
        put((byte) ('0' + cents / 10 % 10));
        put((byte) ('0' + cents % 10));
        boolean active = (h & 1) == 1;
        put(active ? ACTIVE_TRUE : ACTIVE_FALSE);
        put(PAYLOAD);
        // The data object ends with the payload's closing quote and brace: pad the rest.
        putPadding(recordBytes - (len - dataStart) - 2, h);
        put(EMITTED_AT);
        putLong(emittedAtMillis);
        put(LINE_END);
        return len;
    }

    byte[] buffer() {
        return buf;
    }

    private void putPadding(int count, long h) {
        if (count <= 0) return;
        ensure(count);
        int offset = (int) ((h >>> 33) % PADDING_SOURCE_LENGTH);
        while (count > 0) {
            int n = Math.min(count, PADDING_SOURCE_LENGTH - offset);
            System.arraycopy(paddingSource, offset, buf, len, n);
            len += n;
            count -= n;
            offset = 0;
        }
    }

    void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    void putLong(long v) {
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int start = len;
        do {
            buf[len++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    /** Two digits, zero-padded. */
    void put2(int v) {
        ensure(2);
        buf[len++] = (byte) ('0' + v / 10);
        buf[len++] = (byte) ('0' + v % 10);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }

    /** The SplitMix64 finaliser: a cheap, well-mixed hash of a long. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
