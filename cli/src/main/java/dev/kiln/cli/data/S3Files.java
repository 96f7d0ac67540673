package dev.kiln.cli.data;

import dev.kiln.cli.KilnException;
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

/** Copies files and folders to and from an S3 API with minio-java. */
public final class S3Files {
  private final MinioClient client;
  private final String endpoint;

  public S3Files(String endpoint, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.client =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(accessKey, secretKey)
            // Skips a GetBucketLocation round trip; s3proxy and MinIO accept it.
            .region("us-east-1")
            .build();
  }

  /** Bucket and key of an {@code s3://bucket/key} URI. */
  public record S3Uri(String bucket, String key) {
    public static boolean is(String text) {
      return text.startsWith("s3://");
    }

    public static S3Uri parse(String text) {
      URI u;
      try {
        u = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw KilnException.usage("not an s3://bucket/key URI: " + text, null);
      }
      if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
        throw KilnException.usage("not an s3://bucket/key URI: " + text, null);
      }
      String path = u.getPath() == null ? "" : u.getPath();
      return new S3Uri(u.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }

  /** Uploads a file or every file under a folder; returns the objects written. */
  public List<S3Uri> upload(Path source, S3Uri target) {
    if (!Files.exists(source)) {
      throw KilnException.usage("no such file or folder: " + source, null);
    }
    try {
      ensureBucket(target.bucket());
      List<S3Uri> written = new ArrayList<>();
      if (Files.isRegularFile(source)) {
        String key =
            target.key().isEmpty() || target.key().endsWith("/")
                ? target.key() + source.getFileName()
                : target.key();
        put(source, new S3Uri(target.bucket(), key));
        written.add(new S3Uri(target.bucket(), key));
        return written;
      }
      String prefix = prefix(target.key());
      List<Path> files;
      try (Stream<Path> walk = Files.walk(source)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        S3Uri to =
            new S3Uri(
                target.bucket(), prefix + source.relativize(file).toString().replace('\\', '/'));
        put(file, to);
        written.add(to);
      }
      return written;
    } catch (KilnException e) {
      throw e;
    } catch (Exception e) {
      throw failure("uploading " + source + " to " + target, e);
    }
  }

  /** Downloads an object, or every object under a prefix into a folder; returns the files. */
  public List<Path> download(S3Uri source, Path target) {
    try {
      List<Path> written = new ArrayList<>();
      if (!source.key().isEmpty() && !source.key().endsWith("/") && exists(source)) {
        Path file =
            Files.isDirectory(target)
                ? target.resolve(source.key().substring(source.key().lastIndexOf('/') + 1))
                : target;
        get(source, file);
        written.add(file);
        return written;
      }
      String prefix = prefix(source.key());
      for (String key : list(source.bucket(), prefix)) {
        Path file = target.resolve(key.substring(prefix.length())).normalize();
        if (!file.startsWith(target.normalize())) {
          throw KilnException.failed("refusing " + key + ": it would leave " + target, null);
        }
        get(new S3Uri(source.bucket(), key), file);
        written.add(file);
      }
      if (written.isEmpty()) {
        throw KilnException.failed("nothing at " + source + " (" + endpoint + ")", null);
      }
      return written;
    } catch (KilnException e) {
      throw e;
    } catch (Exception e) {
      throw failure("downloading " + source, e);
    }
  }

  /** The keys under a prefix, in order; none when the bucket is missing. */
  public List<String> list(String bucket, String prefix) throws Exception {
    if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        client.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      Item item = r.get();
      if (!item.isDir()) {
        keys.add(item.objectName());
      }
    }
    keys.sort(null);
    return keys;
  }

  public boolean exists(S3Uri uri) throws Exception {
    try {
      client.statObject(StatObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NotFound".equals(code)) {
        return false;
      }
      throw e;
    }
  }

  private void ensureBucket(String bucket) throws Exception {
    if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    }
  }

  private void put(Path file, S3Uri to) throws Exception {
    client.uploadObject(
        UploadObjectArgs.builder()
            .bucket(to.bucket())
            .object(to.key())
            .filename(file.toString())
            .build());
  }

  private void get(S3Uri from, Path file) throws Exception {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);
    client.downloadObject(
        DownloadObjectArgs.builder()
            .bucket(from.bucket())
            .object(from.key())
            .filename(file.toString())
            .build());
  }

  private static String prefix(String key) {
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  private KilnException failure(String what, Exception e) {
    String why =
        e instanceof ErrorResponseException er
            ? er.errorResponse().code() + ": " + er.errorResponse().message()
            : e instanceof IOException ? e.getMessage() : e.toString();
    return KilnException.failed(what + " at " + endpoint + " failed: " + why, null);
  }
}
