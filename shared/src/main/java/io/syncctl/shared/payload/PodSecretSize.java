package io.syncctl.shared.payload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * What of a task's payload fits into its pod's Secret. Kubernetes refuses a Secret whose data
 * values add up to more than 1 MiB ({@link #SECRET_LIMIT}, counted after base64 decoding); the worker
 * stores each payload part gzip-compressed with {@link #gzip} and adds the sidecar's database URL, for
 * which {@link #RESERVED} is kept. So a payload is deliverable when its parts, compressed as the worker
 * compresses them, add up to at most {@link #PAYLOAD_LIMIT} bytes; the api checks this at intake
 * (413) instead of the launch failing later.
 */
public final class PodSecretSize {
    /** Kubernetes' MaxSecretSize: the sum of a Secret's data values. */
    public static final long SECRET_LIMIT = 1024 * 1024;
    /** Room for the database URL and any small key the worker adds beside the payload. */
    public static final long RESERVED = 8 * 1024;
    /** The compressed payload bytes a task pod can receive. */
    public static final long PAYLOAD_LIMIT = SECRET_LIMIT - RESERVED;
    /**
     * An upper bound of {@link #gzip}'s output for n input bytes: zlib's deflateBound (n + n/4096 +
     * n/16384 + 7, for data deflate cannot shrink) plus gzip's 18 bytes, rounded up generously.
     */
    static long gzipBound(long n) {
        return n + n / 1000 + 64;
    }

    private PodSecretSize() {
    }

    /** The part as the worker puts it into the Secret. */
    public static byte[] gzip(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The payload's size in the Secret: its parts compressed as the worker compresses them. */
    public static long packedBytes(TaskPayload p) {
        return parts(p).mapToLong(PodSecretSize::compressedSize).sum();
    }

    /** Whether a task pod can receive the payload; small payloads are not compressed to find out. */
    public static boolean fits(TaskPayload p) {
        long plainBound = parts(p).mapToLong(s -> gzipBound(s.getBytes(StandardCharsets.UTF_8).length)).sum();
        return plainBound <= PAYLOAD_LIMIT || packedBytes(p) <= PAYLOAD_LIMIT;
    }

    private static Stream<String> parts(TaskPayload p) {
        return Stream.of(p.configJson(), p.catalogJson(), p.stateJson(), p.destinationConfigJson()).filter(s -> s != null);
    }

    /** The length of {@link #gzip} without keeping the compressed bytes. */
    private static long compressedSize(String s) {
        CountingStream count = new CountingStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(count, 64 * 1024)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count.n;
    }

    private static final class CountingStream extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }
}
