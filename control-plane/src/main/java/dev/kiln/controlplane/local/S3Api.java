package dev.kiln.controlplane.local;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The control plane's own S3 client for local mode (minio-java, like the worker and the CLI): it
 * makes output buckets, and stages a container job's channels in and its model out.
 */
public final class S3Api {
  private final MinioClient client;
  private final String endpoint;

  public S3Api(String endpoint, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.client =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(accessKey, secretKey)
            // Skips a GetBucketLocation round trip; s3proxy accepts it.
            .region("us-east-1")
            .build();
  }

  /** {@code http://host:port}, as ranks and the CLI reach it. */
  public String endpoint() {
    return endpoint;
  }

  /** Creates the bucket of {@code uri} if it is missing. */
  public void ensureBucket(String uri) throws IOException {
    String bucket = Location.parse(uri).bucket();
    call(
        () -> {
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
          }
          return null;
        });
  }

  /**
   * Copies an object, or every object under a prefix, into {@code dir} (keys relative to the
   * prefix); returns how many files were written.
   */
  public int download(String uri, Path dir) throws IOException {
    Location loc = Location.parse(uri);
    Files.createDirectories(dir);
    if (!loc.key().isEmpty() && !loc.key().endsWith("/") && exists(loc)) {
      String name = loc.key().substring(loc.key().lastIndexOf('/') + 1);
      get(loc.bucket(), loc.key(), dir.resolve(name));
      return 1;
    }
    String prefix = prefix(loc.key());
    List<String> keys = list(loc.bucket(), prefix);
    for (String key : keys) {
      Path target = dir.resolve(key.substring(prefix.length())).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("refusing key " + key + ": it leaves " + dir);
      }
      get(loc.bucket(), key, target);
    }
    return keys.size();
  }

  /** Copies every file under {@code dir} to {@code <uri>/<relative path>}; returns how many. */
  public int upload(Path dir, String uri) throws IOException {
    Location loc = Location.parse(uri);
    ensureBucket(uri);
    String prefix = prefix(loc.key());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      String key = prefix + dir.relativize(file).toString().replace('\\', '/');
      call(
          () ->
              client.uploadObject(
                  UploadObjectArgs.builder()
                      .bucket(loc.bucket())
                      .object(key)
                      .filename(file.toString())
                      .build()));
    }
    return files.size();
  }

  private List<String> list(String bucket, String prefix) throws IOException {
    return call(
        () -> {
          List<String> keys = new ArrayList<>();
          if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return keys;
          }
          for (Result<Item> r :
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(bucket)
                      .prefix(prefix)
                      .recursive(true)
                      .build())) {
            Item item = r.get();
            if (!item.isDir()) {
              keys.add(item.objectName());
            }
          }
          keys.sort(null);
          return keys;
        });
  }

  private boolean exists(Location loc) throws IOException {
    try {
      client.statObject(StatObjectArgs.builder().bucket(loc.bucket()).object(loc.key()).build());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NotFound".equals(code)) {
        return false;
      }
      throw new IOException(describe(e), e);
    } catch (Exception e) {
      throw new IOException(describe(e), e);
    }
  }

  private void get(String bucket, String key, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Files.deleteIfExists(target);
    call(
        () -> {
          client.downloadObject(
              DownloadObjectArgs.builder()
                  .bucket(bucket)
                  .object(key)
                  .filename(target.toString())
                  .build());
          return null;
        });
  }

  /** A minio call; its many checked exceptions become one IOException that says where. */
  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T call(Call<T> call) throws IOException {
    try {
      return call.run();
    } catch (IOException e) {
      throw new IOException(endpoint + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IOException(describe(e), e);
    }
  }

  private String describe(Exception e) {
    String why =
        e instanceof ErrorResponseException er
            ? er.errorResponse().code() + ": " + er.errorResponse().message()
            : e.toString();
    return "S3 at " + endpoint + ": " + why;
  }

  private static String prefix(String key) {
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
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
