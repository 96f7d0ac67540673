package dev.kiln.endpoint.testing;

import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3 API in this JVM: s3proxy over a folder, on a free port, with signature checks. */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "kiln-test";
  public static final String SECRET_KEY = "kiln-test-secret";
  private final S3Proxy proxy;
  private final String endpoint;
  private final MinioClient client;

  private S3Server(S3Proxy proxy) {
    this.proxy = proxy;
    this.endpoint = "http://127.0.0.1:" + proxy.getPort();
    this.client =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(ACCESS_KEY, SECRET_KEY)
            .region("us-east-1")
            .build();
  }

  /** Starts a server storing buckets as folders under {@code dir}. */
  public static S3Server start(Path dir) throws Exception {
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(dir.toString()))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long end = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    return new S3Server(proxy);
  }

  public String endpoint() {
    return endpoint;
  }

  /** The rank-contract variables that point at this server. */
  public Map<String, String> env() {
    return Map.of(
        "KILN_S3_ENDPOINT", endpoint,
        "AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
  }

  public void createBucket(String name) throws Exception {
    client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
  }

  /** Uploads every file under {@code dir} to {@code bucket} under {@code prefix}. */
  public void uploadFolder(Path dir, String bucket, String prefix) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      upload(f, bucket, prefix + dir.relativize(f).toString().replace('\\', '/'));
    }
  }

  public void upload(Path file, String bucket, String key) throws Exception {
    client.uploadObject(
        UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
