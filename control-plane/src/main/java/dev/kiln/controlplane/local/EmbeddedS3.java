package dev.kiln.controlplane.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * Local mode's object storage: s3proxy over a folder (one sub-folder per bucket), with signature
 * checks, on {@code host:port}. It runs in a process of its own ({@link S3ServerMain}) when the
 * control plane runs from its packaged jar, so that ranks keep their checkpoints flowing while a
 * crashed control plane restarts; in this JVM otherwise.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final S3Proxy proxy;
  private final String endpoint;

  private EmbeddedS3(S3Proxy proxy, String endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts the server over {@code dir}; fails when the port is taken. */
  public static EmbeddedS3 start(
      Path dir, String host, int port, String accessKey, String secretKey) throws Exception {
    Files.createDirectories(dir);
    BlobStore blobs = new FilesystemNio2BlobStore(dir.toString());
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://" + host + ":" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if ("FAILED".equals(proxy.getState()) || System.nanoTime() > deadline) {
        proxy.stop();
        throw new IOException("the embedded S3 server did not start on " + host + ":" + port);
      }
      Thread.sleep(10);
    }
    return new EmbeddedS3(proxy, "http://" + host + ":" + proxy.getPort());
  }

  /** {@code http://host:port}, as ranks and the CLI reach it. */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
