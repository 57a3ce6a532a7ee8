import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;

/**
 * The s3 bench's reference: the AWS SDK's plain upload of a file (one PutObject streamed from the file),
 * with the client set up as the sidecar's s3 destination sets it up (same HTTP client, same checksum
 * settings), so the two differ only in what the sidecar does between the connector and the upload.
 *
 * <pre>java -cp syncctl-sidecar.jar:classes S3PlainUpload ENDPOINT KEY_ID SECRET BUCKET (mkbucket | put KEY FILE)</pre>
 */
public final class S3PlainUpload {
    public static void main(String[] a) {
        try (S3Client s3 = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a[1], a[2])))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .endpointOverride(URI.create(a[0])).forcePathStyle(true).build()) {
            String bucket = a[3];
            switch (a[4]) {
                case "mkbucket" -> s3.createBucket(r -> r.bucket(bucket));
                case "put" -> s3.putObject(r -> r.bucket(bucket).key(a[5]), RequestBody.fromFile(Path.of(a[6])));
                default -> throw new IllegalArgumentException(a[4]);
            }
        }
    }
}
