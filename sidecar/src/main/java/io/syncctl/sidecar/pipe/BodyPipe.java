package io.syncctl.sidecar.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The body of one streaming request (an HTTP request to Bulker, a MySQL {@code LOAD DATA LOCAL INFILE}):
 * the sidecar writes on its side, the client reads it as an {@link InputStream} on its own thread. At
 * most a few 64 KiB blocks are queued, so memory is bounded however long the request runs. A request
 * that ends early (the server answered or the connection broke) makes the writer fail instead of
 * blocking forever.
 */
public final class BodyPipe extends InputStream {
    private static final int BLOCK = 1 << 16;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(8);
    private byte[] out = new byte[BLOCK];
    private int outLen;
    private byte[] in;
    private int inPos;
    private boolean ended;
    private Future<?> response;

    public void watch(Future<?> response) {
        this.response = response;
    }

    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, out.length - outLen);
            System.arraycopy(b, off, out, outLen, n);
            outLen += n;
            off += n;
            len -= n;
            if (outLen == out.length) {
                send();
            }
        }
    }

    public void write(byte b) throws IOException {
        if (outLen == out.length) {
            send();
        }
        out[outLen++] = b;
    }

    /** Ends the body; the request completes once the client has read everything. */
    public void finish() throws IOException {
        if (outLen > 0) {
            send();
        }
        put(END);
    }

    private void send() throws IOException {
        byte[] block = outLen == out.length ? out : java.util.Arrays.copyOf(out, outLen);
        out = new byte[BLOCK];
        outLen = 0;
        put(block);
    }

    private void put(byte[] block) throws IOException {
        try {
            while (!queue.offer(block, 200, TimeUnit.MILLISECONDS)) {
                if (response != null && response.isDone()) {
                    throw new IOException("the request ended before its body was sent");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        if (in == null || inPos == in.length) {
            try {
                in = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            inPos = 0;
            if (in == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, in.length - inPos);
        System.arraycopy(in, inPos, b, off, n);
        inPos += n;
        return n;
    }
}
