package io.syncctl.sidecar.destination.s3;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One object written as a stream with a bounded buffer. Bytes fill a part buffer; a full part starts (or
 * continues) a multipart upload. {@link #finish()} makes the object visible in one step: a single PUT when
 * everything fitted in the first part, else the completion of the multipart upload, which replaces an
 * object of the same key atomically. Until then nothing is visible, and {@link #abort()} (or a crash, which
 * leaves an incomplete upload the store never shows) keeps the previous object whole.
 */
final class ObjectUpload extends OutputStream {
    /** S3's minimum part size is 5 MiB; at most 10,000 parts. */
    static final int FIRST_PART_SIZE = 8 << 20;
    private static final int INITIAL_BUFFER = 64 << 10;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int len;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private long bytes;
    private boolean done;

    ObjectUpload(S3Client s3, String bucket, String key, String contentType) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.contentType = contentType;
    }

    String key() {
        return key;
    }

    /** Bytes written so far. */
    long bytes() {
        return bytes;
    }

    /**
     * Part {@code n}'s size (from 1): 8 MiB, doubling every 2,500 parts up to 64 MiB, so 10,000 parts hold 314 GB while
     * the buffer stays 8 MiB for any object under 20 GB.
     */
    static int partSize(int n) {
        return FIRST_PART_SIZE << Math.min(3, (n - 1) / 2500);
    }

    @Override
    public void write(int b) throws IOException {
        if (len == buf.length) {
            makeRoom();
        }
        buf[len++] = (byte) b;
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        bytes += n;
        while (n > 0) {
            if (len == buf.length) {
                makeRoom();
            }
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    /** The buffer is full: grow it up to the part size, or send it as a part. */
    private void makeRoom() throws IOException {
        int partSize = partSize(parts.size() + 1);
        if (buf.length < partSize) {
            buf = java.util.Arrays.copyOf(buf, Math.min(partSize, buf.length * 2));
            return;
        }
        uploadPart();
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) len), body()).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            len = 0;
            int next = partSize(parts.size() + 1);
            if (buf.length != next) {
                buf = new byte[next];
            }
        } catch (RuntimeException e) {
            throw new IOException("uploading " + key + " failed: " + S3Errors.describe(e), e);
        }
    }

    /** The buffer as a request body, read without copying (a retry reads it again from the start). */
    private RequestBody body() {
        byte[] b = buf;
        int n = len;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(b, 0, n), n, contentType);
    }

    /** Makes the object visible: one PUT, or the multipart upload's last part and completion. */
    void finish() throws IOException {
        if (done) {
            return;
        }
        try {
            if (uploadId == null) {
                s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType).contentLength((long) len), body());
            } else {
                if (len > 0) {
                    uploadPart();
                }
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            }
            done = true;
        } catch (RuntimeException e) {
            throw new IOException("uploading " + key + " failed: " + S3Errors.describe(e), e);
        } finally {
            buf = null;
        }
    }

    /** Drops the upload; the key keeps what it had. Never throws. */
    void abort() {
        buf = null;
        if (done || uploadId == null) {
            return;
        }
        done = true;
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // the incomplete upload stays invisible; the bucket's lifecycle rule (or the next full refresh) removes it
        }
    }

    @Override
    public void close() {
        // finish() or abort() end an upload; closing a wrapping stream must not decide which
    }
}
