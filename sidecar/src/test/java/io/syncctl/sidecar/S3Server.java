package io.syncctl.sidecar;

import io.syncctl.devkit.s3.LocalS3;
import io.syncctl.sidecar.destination.s3.S3TestClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real S3-compatible server of the s3 tests: devkit's {@link LocalS3} (S3Proxy, its own process,
 * objects in memory, requests signed with {@link #ACCESS_KEY}). One per test JVM, started on first use and
 * stopped when the JVM exits; tests make their own buckets.
 */
public final class S3Server {
    public static final String ACCESS_KEY = "AKIASYNCCTLTEST";
    public static final String SECRET_KEY = "s3-test-secret-0123456789";
    private static S3Server instance;

    public final URI endpoint;
    private final LocalS3 server;

    private S3Server(LocalS3 server) {
        this.server = server;
        this.endpoint = server.endpoint();
    }

    public static synchronized S3Server get() {
        if (instance == null) {
            try {
                LocalS3 s = LocalS3.start(Path.of("..").resolve(LocalS3.JAR), Files.createTempDirectory("s3proxy"),
                        ACCESS_KEY, SECRET_KEY, false);
                Runtime.getRuntime().addShutdownHook(new Thread(s::close));
                instance = new S3Server(s);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot start S3Proxy: " + e, e);
            }
        }
        return instance;
    }

    /** A client with the server's credentials. */
    public S3TestClient client() {
        return new S3TestClient(endpoint, ACCESS_KEY, SECRET_KEY);
    }

    /** {@code destinationConfig.json} for this server; {@code extra} is more JSON fields (",\"folder\":\"x\""). */
    public String destination(String bucket, String extra) {
        return "{\"destinationType\":\"s3\",\"accessKeyId\":\"" + ACCESS_KEY + "\",\"secretAccessKey\":\"" + SECRET_KEY
                + "\",\"bucket\":\"" + bucket + "\",\"region\":\"us-east-1\",\"endpoint\":\"" + endpoint + "\"" + extra + "}";
    }
}
