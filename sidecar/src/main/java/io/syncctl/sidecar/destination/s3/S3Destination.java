package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncctl.sidecar.destination.Destination;
import io.syncctl.sidecar.destination.DestinationStream;
import io.syncctl.sidecar.destination.StreamWriter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Writes streams as objects into an S3 bucket, or an S3-compatible store's ({@code destinationConfig}:
 * {@code accessKeyId, secretAccessKey, bucket, region, endpoint, folder, format, compression}), laid out
 * as Bulker lays them out ({@link ObjectNames}). One client for all streams; each stream's writer holds at
 * most one part buffer.
 */
public final class S3Destination implements Destination {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);

    private final S3Config config;
    private final S3Client s3;
    private final Clock clock;

    S3Destination(S3Config config, S3Client s3, Clock clock) {
        this.config = config;
        this.s3 = s3;
        this.clock = clock;
    }

    public static S3Destination from(JsonNode c) {
        S3Config config = S3Config.from(c);
        return new S3Destination(config, client(config), Clock.systemUTC());
    }

    static S3Client client(S3Config config) {
        AwsCredentialsProvider credentials = config.accessKeyId().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(120)))
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                // checksums only where S3 requires them: S3-compatible stores do not all know the newer ones
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.endpoint() != null) {
            b.endpointOverride(config.endpoint()).forcePathStyle(true);
        }
        return b.build();
    }

    /**
     * Before the connector starts: the bucket exists, the credentials are accepted, and an object can be
     * written into the folder (a zero-byte probe, deleted again, as Bulker's write-permission check: the
     * only way to know a bucket is writable is to write).
     */
    @Override
    public void check() {
        String endpoint = config.endpointName();
        try {
            s3.headBucket(r -> r.bucket(config.bucket()).overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT)));
        } catch (RuntimeException e) {
            throw new IllegalStateException(S3Errors.check(withCode(e), config.bucket(), endpoint), e);
        }
        String probe = ObjectNames.folder(config.folder(), clock.instant()) + ".syncctl-check-" + UUID.randomUUID();
        try {
            s3.putObject(r -> r.bucket(config.bucket()).key(probe).overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT)),
                    RequestBody.empty());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot write into s3 bucket " + config.bucket() + ": " + S3Errors.describe(e), e);
        }
        try {
            s3.deleteObject(r -> r.bucket(config.bucket()).key(probe));
        } catch (RuntimeException ignored) {
            // writing is what the read needs; a policy without delete leaves a zero-byte probe behind
        }
    }

    /**
     * A refused HEAD has no body, so no error code to tell bad credentials from a policy: a listing of the
     * same bucket (a GET, whose error has a body) tells which.
     */
    private RuntimeException withCode(RuntimeException e) {
        if (!(e instanceof S3Exception s) || s.statusCode() != 403
                || (s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null)) {
            return e;
        }
        try {
            s3.listObjectsV2(r -> r.bucket(config.bucket()).maxKeys(1).overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT)));
            return e;
        } catch (S3Exception listed) {
            return listed.awsErrorDetails() != null && listed.awsErrorDetails().errorCode() != null ? listed : e;
        } catch (RuntimeException other) {
            return e;
        }
    }

    @Override
    public StreamWriter open(DestinationStream stream) {
        return new S3StreamWriter(s3, config, stream, clock);
    }

    @Override
    public void close() {
        s3.close();
    }
}
