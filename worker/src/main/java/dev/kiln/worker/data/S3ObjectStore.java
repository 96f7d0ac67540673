package dev.kiln.worker.data;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** {@link ObjectStore} over any S3 API with minio-java ({@code s3://bucket/key} URIs). */
public final class S3ObjectStore implements ObjectStore {
  private final MinioClient client;
  private final String endpoint;

  public S3ObjectStore(String endpoint, String accessKey, String secretKey) {
    this.endpoint = endpoint;
    this.client =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(accessKey == null ? "" : accessKey, secretKey == null ? "" : secretKey)
            .region(
                "us-east-1") // skips a GetBucketLocation round trip; MinIO and s3proxy accept it
            .build();
  }

  /** Bucket and key of an {@code s3://bucket/key} URI. */
  record Location(String bucket, String key) {
    static Location parse(String uri) {
      URI u = URI.create(uri);
      if (!"s3".equals(u.getScheme()) || u.getHost() == null) {
        throw new DataException("not an s3://bucket/key URI: '" + uri + "'");
      }
      String path = u.getPath() == null ? "" : u.getPath();
      return new Location(u.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }
  }

  @Override
  public List<String> list(String prefixUri) throws IOException {
    Location loc = Location.parse(prefixUri);
    List<String> out = new ArrayList<>();
    try {
      Iterable<Result<Item>> items =
          client.listObjects(
              ListObjectsArgs.builder().bucket(loc.bucket).prefix(loc.key).recursive(true).build());
      for (Result<Item> r : items) {
        Item item = r.get();
        if (!item.isDir()) {
          out.add("s3://" + loc.bucket + "/" + item.objectName());
        }
      }
    } catch (ErrorResponseException e) {
      if ("NoSuchBucket".equals(e.errorResponse().code())) {
        throw new FileNotFoundException(
            "bucket '" + loc.bucket + "' does not exist at " + endpoint);
      }
      throw new IOException(describe("listing " + prefixUri, e), e);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(describe("listing " + prefixUri, e), e);
    }
    out.sort(null);
    return out;
  }

  @Override
  public boolean exists(String uri) throws IOException {
    Location loc = Location.parse(uri);
    try {
      client.statObject(StatObjectArgs.builder().bucket(loc.bucket).object(loc.key).build());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NotFound".equals(code)) {
        return false;
      }
      throw new IOException(describe("checking " + uri, e), e);
    } catch (Exception e) {
      throw new IOException(describe("checking " + uri, e), e);
    }
  }

  @Override
  public InputStream open(String uri) throws IOException {
    Location loc = Location.parse(uri);
    try {
      return client.getObject(GetObjectArgs.builder().bucket(loc.bucket).object(loc.key).build());
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
        throw new FileNotFoundException(uri + " does not exist at " + endpoint);
      }
      throw new IOException(describe("reading " + uri, e), e);
    } catch (Exception e) {
      throw new IOException(describe("reading " + uri, e), e);
    }
  }

  @Override
  public void write(String uri, byte[] data) throws IOException {
    Location loc = Location.parse(uri);
    try {
      client.putObject(
          PutObjectArgs.builder().bucket(loc.bucket).object(loc.key).stream(
                  new ByteArrayInputStream(data), data.length, -1)
              .build());
    } catch (Exception e) {
      throw new IOException(describe("writing " + uri, e), e);
    }
  }

  @Override
  public void delete(String uri) throws IOException {
    Location loc = Location.parse(uri);
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(loc.bucket).object(loc.key).build());
    } catch (Exception e) {
      throw new IOException(describe("deleting " + uri, e), e);
    }
  }

  private String describe(String what, Exception e) {
    String msg =
        e instanceof ErrorResponseException er ? er.errorResponse().message() : e.toString();
    return what + " at " + endpoint + " failed: " + msg;
  }
}
