package io.syncctl.sidecar;

import io.syncctl.sidecar.destination.s3.S3TestClient;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A real S3-compatible server for the tests: S3Proxy (Maven Central, copied to {@code target/s3proxy} by the
 * build) as its own process on a free port, storing objects in memory. One per test JVM, started on first
 * use and stopped when the JVM exits; tests make their own buckets.
 */
public final class S3Server {
    public static final String ACCESS_KEY = "AKIASYNCCTLTEST";
    public static final String SECRET_KEY = "s3-test-secret-0123456789";
    private static S3Server instance;

    public final URI endpoint;
    private final Process process;
    private final Path log;

    private S3Server(URI endpoint, Process process, Path log) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
    }

    public static synchronized S3Server get() {
        if (instance == null) {
            try {
                instance = start(Path.of("target/s3proxy/s3proxy.jar"));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot start S3Proxy: " + e, e);
            }
            S3Server s = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(s.process::destroy));
        }
        return instance;
    }

    static S3Server start(Path jar) throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IOException(jar.toAbsolutePath() + " is missing: the build copies it (maven-dependency-plugin, generate-test-resources)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("s3proxy");
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=transient-nio2",
                "jclouds.identity=local",
                "jclouds.credential=local", ""));
        Path log = dir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IOException("S3Proxy exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode(); // any answer (403 for an anonymous request) means it is serving
                return new S3Server(endpoint, p, log);
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("S3Proxy did not answer within 90 s: " + Files.readString(log));
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

    public String log() throws IOException {
        return Files.readString(log);
    }
}
