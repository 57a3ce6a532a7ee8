package io.syncctl.sidecar.destination.s3;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/**
 * The console's s3 destination fields ({@code destinationConfig}): {@code accessKeyId, secretAccessKey,
 * bucket, region, endpoint, folder, format, compression}. Only {@code bucket} is required: without keys
 * the SDK's default credentials apply (the node's or pod's role).
 *
 * @param endpoint an S3-compatible server (path-style access), null for AWS itself
 * @param folder   key prefix, may hold Bulker's {@code [DATE]} and {@code [TIMESTAMP]} macros; "" for none
 */
public record S3Config(String accessKeyId, String secretAccessKey, String bucket, String region, URI endpoint,
                       String folder, FileFormat format, boolean gzip) {
    /** The console's default region. */
    static final String DEFAULT_REGION = "us-west-1";

    public static S3Config from(JsonNode c) {
        String bucket = text(c, "bucket");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("s3 destinationConfig.bucket is required");
        }
        String region = text(c, "region");
        String formatName = text(c, "format");
        FileFormat format = formatName.isEmpty() ? FileFormat.NDJSON : FileFormat.of(formatName);
        if (format == null) {
            throw new IllegalArgumentException("s3 destinationConfig.format must be ndjson, ndjson_flat or csv, not " + formatName);
        }
        // Bulker (and the console, whose default is none) write plain objects unless told gzip
        String compression = text(c, "compression");
        if (!compression.isEmpty() && !compression.equals("gzip") && !compression.equals("none")) {
            throw new IllegalArgumentException("s3 destinationConfig.compression must be gzip or none, not " + compression);
        }
        return new S3Config(text(c, "accessKeyId"), text(c, "secretAccessKey"), bucket,
                region.isEmpty() ? DEFAULT_REGION : region, endpoint(text(c, "endpoint")), text(c, "folder"),
                format, compression.equals("gzip"));
    }

    /** An endpoint without a scheme ({@code minio:9000}) is taken as https, as the AWS SDKs do. */
    static URI endpoint(String value) {
        if (value.isEmpty()) {
            return null;
        }
        String url = value.contains("://") ? value : "https://" + value;
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("s3 destinationConfig.endpoint is not an http(s) URL");
        }
    }

    /** The endpoint a message may name: AWS's regional one unless a custom endpoint is set. */
    String endpointName() {
        return endpoint != null ? endpoint.toString() : "s3." + region + ".amazonaws.com";
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? "" : v.asText().trim();
    }
}
