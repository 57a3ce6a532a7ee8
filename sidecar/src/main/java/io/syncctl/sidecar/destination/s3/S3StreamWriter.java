package io.syncctl.sidecar.destination.s3;

import io.syncctl.shared.protocol.AirbyteMessage;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One stream as objects. Replacing: the whole stream is one object, {@code table.ext}, uploaded as it
 * comes and made visible by {@link #complete()} in one step (the key's previous object stays whole until
 * then, and after an abort or a crash); the completed full refresh then deletes the objects earlier
 * appending runs left beside it. Appending: each checkpoint's records are one new object
 * {@code table_<stream start>_<n>.ext}, visible when the checkpoint returns.
 */
final class S3StreamWriter implements StreamWriter {
    private final S3Client s3;
    private final S3Config config;
    private final DestinationStream stream;
    private final Clock clock;
    private final Instant started;
    private boolean replacing;
    private ObjectSink current;
    private String currentPrefix;
    private int chunks;

    S3StreamWriter(S3Client s3, S3Config config, DestinationStream stream, Clock clock) {
        this.s3 = s3;
        this.config = config;
        this.stream = stream;
        this.clock = clock;
        this.started = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.replacing = stream.replace();
    }

    @Override
    public void write(AirbyteMessage.Record record) throws IOException {
        if (current == null) {
            begin();
        }
        current.write(record);
    }

    /** Appending: the chunk's object appears. Replacing: nothing to do, the object is still being uploaded. */
    @Override
    public void checkpoint() throws IOException {
        if (replacing || current == null) {
            return;
        }
        current.finish();
        current = null;
    }

    @Override
    public void complete() throws IOException {
        if (!replacing) {
            checkpoint();
            return;
        }
        if (current == null) {
            begin(); // an empty full refresh still replaces the previous object, with an empty one
        }
        current.finish();
        current = null;
        replacing = false;
        deleteSuperseded();
    }

    @Override
    public void abort() {
        if (current != null) {
            current.abort();
            current = null;
        }
    }

    private void begin() throws IOException {
        currentPrefix = ObjectNames.prefix(config.folder(), stream.namespace(), clock.instant());
        String key = replacing
                ? ObjectNames.replaceKey(currentPrefix, stream.tableName(), config.format(), config.gzip())
                : ObjectNames.chunkKey(currentPrefix, stream.tableName(), started, ++chunks, config.format(), config.gzip());
        current = ObjectSink.of(new ObjectUpload(s3, config.bucket(), key,
                ObjectNames.contentType(config.format(), config.gzip())), config.format(), config.gzip());
    }

    /**
     * After a full refresh the table is its one object: appended chunks of earlier runs under the same
     * prefix go, and so do uploads of the same key that crashed runs left incomplete (those are invisible
     * and only cost storage, so failing to list them is not an error).
     */
    private void deleteSuperseded() throws IOException {
        String table = stream.tableName();
        String key = ObjectNames.replaceKey(currentPrefix, table, config.format(), config.gzip());
        try {
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(config.bucket()).prefix(currentPrefix + table + "_")).contents()) {
                if (ObjectNames.isChunkOf(o.key(), currentPrefix, table, config.format(), config.gzip())) {
                    s3.deleteObject(r -> r.bucket(config.bucket()).key(o.key()));
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("replaced " + key + " but could not delete the objects it supersedes: " + S3Errors.describe(e), e);
        }
        try {
            for (MultipartUpload u : s3.listMultipartUploads(r -> r.bucket(config.bucket()).prefix(key)).uploads()) {
                if (u.key().equals(key)) {
                    s3.abortMultipartUpload(r -> r.bucket(config.bucket()).key(key).uploadId(u.uploadId()));
                }
            }
        } catch (RuntimeException ignored) {
            // best effort, see above
        }
    }
}
