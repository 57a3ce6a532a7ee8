package io.syncctl.sidecar.destination.s3;

import io.syncctl.sidecar.pipe.BodyPipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One object's bytes: the sidecar's reading thread writes them, a thread of their own compresses them
 * (gzip) and hands them to the {@link ObjectUpload}, which signs and sends each full part. Deflating and
 * sending on the reading thread left the pod's second core idle and made gzip objects three times slower
 * than uploading the same compressed bytes (bench/RESULTS.md, s3 section); now the connector's next lines
 * are read while the previous ones are compressed and sent. The hand-off is a {@link BodyPipe}: at most a
 * few 64 KiB blocks wait, so memory stays bounded, and a slow store slows the reading down instead of
 * filling the heap. The upload belongs to that thread until it has ended; {@link #finish()} and
 * {@link #abort()} wait for it, then make the object visible or drop it from the calling thread.
 */
final class UploadStream extends OutputStream {
    /** Speed over the last percent of size: the sidecar shares two cores with the connector. */
    static final int GZIP_LEVEL = Deflater.BEST_SPEED;
    private static final int BLOCK = 1 << 16;
    /** An abort waits this long for a part being sent (the client's socket timeout bounds it anyway). */
    private static final long ABORT_WAIT_SECONDS = 30;

    private final ObjectUpload upload;
    private final BodyPipe pipe = new BodyPipe();
    private final CompletableFuture<Void> encoded = new CompletableFuture<>();
    private volatile boolean aborted;

    UploadStream(ObjectUpload upload, boolean gzip) {
        this.upload = upload;
        pipe.watch(encoded); // a failed upload makes the writer fail instead of blocking on a full pipe
        Thread.ofPlatform().daemon().name("s3-upload").start(() -> encode(gzip));
    }

    /** The upload's thread: everything the pipe brings, encoded, into the upload. */
    private void encode(boolean gzip) {
        try {
            OutputStream out = gzip ? new GZIPOutputStream(upload, BLOCK) {
                {
                    def.setLevel(GZIP_LEVEL);
                }
            } : upload;
            // whole blocks: one deflate call per 64 KiB rather than two per record
            byte[] block = new byte[BLOCK];
            for (int n; (n = pipe.read(block, 0, BLOCK)) > 0 && !aborted; ) {
                out.write(block, 0, n);
            }
            if (!aborted) {
                out.close(); // gzip: its trailer, and the deflater's native memory freed now; the upload stays open
            }
            encoded.complete(null);
        } catch (Throwable e) {
            encoded.completeExceptionally(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        try {
            pipe.write((byte) b);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            pipe.write(b, off, len);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Ends the bytes, waits until the upload's thread has sent them, then makes the object visible. */
    void finish() throws IOException {
        try {
            pipe.finish();
            encoded.get();
        } catch (IOException e) {
            throw failure(e);
        } catch (ExecutionException e) {
            throw failure(new IOException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + upload.key());
        }
        upload.finish();
    }

    /** Stops the upload's thread and drops the upload; the key keeps what it had. Never throws. */
    void abort() {
        aborted = true;
        try {
            pipe.finish();
            encoded.get(ABORT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException ignored) {
            // it failed already, or is stuck sending a part: the upload is dropped below either way (if the abort
            // races with that part, the incomplete upload stays invisible and the key's next full refresh aborts it)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upload.abort();
    }

    /** The upload thread's own error when it ended early (that is why the pipe refused the bytes), else {@code e}. */
    private IOException failure(IOException e) {
        if (encoded.state() != Future.State.FAILED) {
            return e;
        }
        Throwable cause = encoded.exceptionNow();
        String message = cause instanceof IOException ? cause.getMessage()
                : "uploading " + upload.key() + " failed: " + S3Errors.describe(cause);
        return new IOException(message, cause);
    }

    @Override
    public void close() {
        // finish() or abort() end the object; closing a wrapping stream must not decide which
    }
}
