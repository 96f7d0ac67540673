package dev.kiln.controlplane.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Local mode's object storage: s3proxy over a folder (one sub-folder per bucket), with signature
 * checks, on {@code host:port}. The control plane also reaches the same store directly, to stage a
 * container job's channels in and its model out.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final S3Proxy proxy;
  private final BlobStore blobs;
  private final String endpoint;

  private EmbeddedS3(S3Proxy proxy, BlobStore blobs, String endpoint) {
    this.proxy = proxy;
    this.blobs = blobs;
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
    return new EmbeddedS3(proxy, blobs, "http://" + host + ":" + proxy.getPort());
  }

  /** {@code http://host:port}, as ranks and the CLI reach it. */
  public String endpoint() {
    return endpoint;
  }

  /** Creates the bucket of {@code uri} if it is missing. */
  public void ensureBucket(String uri) {
    String bucket = Location.parse(uri).bucket();
    if (!blobs.containerExists(bucket)) {
      blobs.createContainer(bucket);
    }
  }

  /**
   * Copies an object, or every object under a prefix, into {@code dir} (keys relative to the
   * prefix); returns how many files were written.
   */
  public int download(String uri, Path dir) throws IOException {
    Location loc = Location.parse(uri);
    Files.createDirectories(dir);
    if (!loc.key().isEmpty()
        && !loc.key().endsWith("/")
        && blobs.blobExists(loc.bucket(), loc.key())) {
      String name = loc.key().substring(loc.key().lastIndexOf('/') + 1);
      copyOut(loc.bucket(), loc.key(), dir.resolve(name));
      return 1;
    }
    String prefix = loc.key().isEmpty() || loc.key().endsWith("/") ? loc.key() : loc.key() + "/";
    List<String> keys = list(loc.bucket(), prefix);
    for (String key : keys) {
      Path target = dir.resolve(key.substring(prefix.length())).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("refusing key " + key + ": it leaves " + dir);
      }
      copyOut(loc.bucket(), key, target);
    }
    return keys.size();
  }

  /** Copies every file under {@code dir} to {@code <uri>/<relative path>}; returns how many. */
  public int upload(Path dir, String uri) throws IOException {
    Location loc = Location.parse(uri);
    ensureBucket(uri);
    String prefix = loc.key().isEmpty() || loc.key().endsWith("/") ? loc.key() : loc.key() + "/";
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String key = prefix + dir.relativize(file).toString().replace('\\', '/');
      try (InputStream in = Files.newInputStream(file)) {
        blobs.putBlob(
            PutObjectRequest.builder()
                .bucket(loc.bucket())
                .key(key)
                .contentLength(Files.size(file))
                .build(),
            in);
      }
    }
    return files.size();
  }

  /** The keys under a prefix of a bucket, in order; none when the bucket is missing. */
  public List<String> list(String bucket, String prefix) {
    if (!blobs.containerExists(bucket)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Response page =
          blobs.list(
              ListObjectsV2Request.builder()
                  .bucket(bucket)
                  .prefix(prefix)
                  .continuationToken(token)
                  .build());
      page.contents().stream().map(S3Object::key).forEach(keys::add);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return keys;
  }

  private void copyOut(String bucket, String key, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = blobs.getBlob(bucket, key)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }

  /** Bucket and key of an {@code s3://bucket/key} URI. */
  record Location(String bucket, String key) {
    static Location parse(String uri) {
      URI u = URI.create(uri);
      if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
      }
      String path = u.getPath() == null ? "" : u.getPath();
      return new Location(u.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }
  }
}
