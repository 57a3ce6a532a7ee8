package io.syncctl.devkit.s3;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A local S3-compatible server: S3Proxy (Maven Central; the devkit build copies its self-contained jar to
 * {@code devkit/target/s3proxy/s3proxy.jar}) as its own process on a free loopback port. Objects live in
 * memory, or in {@code dir/data} when {@code onDisk}. With {@code identity} null it takes any request
 * unsigned; otherwise only requests signed with {@code identity}/{@code credential} (AWS v2 or v4).
 * For the sidecar's s3 tests, the e2e suite and the bench.
 */
public final class LocalS3 implements AutoCloseable {
    /** Where the devkit build puts S3Proxy, relative to the repository root. */
    public static final String JAR = "devkit/target/s3proxy/s3proxy.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final URI endpoint;
    private final Process process;
    private final Path log;

    private LocalS3(URI endpoint, Process process, Path log) {
        this.endpoint = endpoint;
        this.process = process;
        this.log = log;
    }

    public static LocalS3 start(Path jar, Path dir, String identity, String credential, boolean onDisk)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar.toAbsolutePath() + " is missing: build devkit first (./mvnw -pl devkit package)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir);
        Path conf = dir.resolve("s3proxy.conf");
        List<String> lines = new java.util.ArrayList<>(List.of("s3proxy.endpoint=http://127.0.0.1:" + port));
        if (identity == null) {
            lines.add("s3proxy.authorization=none");
        } else {
            lines.addAll(List.of("s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + identity, "s3proxy.credential=" + credential));
        }
        if (onDisk) {
            Path data = Files.createDirectories(dir.resolve("data"));
            lines.addAll(List.of("jclouds.provider=filesystem-nio2", "jclouds.filesystem.basedir=" + data));
        } else {
            lines.add("jclouds.provider=transient-nio2");
        }
        lines.addAll(List.of("jclouds.identity=local", "jclouds.credential=local", ""));
        Files.writeString(conf, String.join("\n", lines));
        Path log = dir.resolve("s3proxy.log");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toAbsolutePath().toString(), "--properties", conf.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IOException("S3Proxy exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode(); // any answer means it is serving
                return new LocalS3(endpoint, p, log);
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        p.destroyForcibly();
        throw new IOException("S3Proxy did not answer within " + START_TIMEOUT.toSeconds() + " s: " + Files.readString(log));
    }

    public URI endpoint() {
        return endpoint;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
