package io.syncctl.sidecar.destination.s3;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/** The tests' own view of the bucket, through the same SDK setup the destination uses. */
public final class S3TestClient implements AutoCloseable {
    public final S3Client s3;

    public S3TestClient(URI endpoint, String accessKey, String secretKey) {
        s3 = S3Destination.client(new S3Config(accessKey, secretKey, "unused", "us-east-1", endpoint, "", FileFormat.NDJSON, false));
    }

    /** A new empty bucket with a unique name. */
    public String newBucket() {
        String bucket = "t-" + UUID.randomUUID().toString().substring(0, 13);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    public List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    public byte[] bytes(String bucket, String key) {
        ResponseBytes<?> b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        return b.asByteArray();
    }

    /** The object's text, gunzipped when its key ends in .gz; null when it does not exist. */
    public String text(String bucket, String key) {
        try {
            byte[] b = bytes(bucket, key);
            if (key.endsWith(".gz")) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                    b = in.readAllBytes();
                }
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String contentType(String bucket, String key) {
        return s3.headObject(r -> r.bucket(bucket).key(key)).contentType();
    }

    public void put(String bucket, String key, String text) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(text));
    }

    /** Incomplete multipart uploads of the bucket. */
    public int openUploads(String bucket) {
        return s3.listMultipartUploads(r -> r.bucket(bucket)).uploads().size();
    }

    @Override
    public void close() {
        s3.close();
    }
}
