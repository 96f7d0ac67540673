package dev.kiln.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** Routes URIs to S3 ({@code s3://}) or local folders ({@code file:}). */
public final class ObjectStores implements ObjectStore {
  private final ObjectStore s3;
  private final ObjectStore local = new LocalObjectStore();

  private ObjectStores(ObjectStore s3) {
    this.s3 = s3;
  }

  /** From the rank contract: {@code KILN_S3_ENDPOINT}, {@code AWS_ACCESS_KEY_ID}, ... */
  public static ObjectStores fromEnv(Map<String, String> env) {
    String endpoint = env.get("KILN_S3_ENDPOINT");
    ObjectStore s3 =
        endpoint == null || endpoint.isBlank()
            ? null
            : new S3ObjectStore(
                endpoint, env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"));
    return new ObjectStores(s3);
  }

  /** With the given S3 store (or null for local URIs only). */
  public static ObjectStores of(ObjectStore s3) {
    return new ObjectStores(s3);
  }

  private ObjectStore route(String uri) {
    if (uri.startsWith("s3://")) {
      if (s3 == null) {
        throw new DataException("'" + uri + "' needs S3, but KILN_S3_ENDPOINT is not set");
      }
      return s3;
    }
    if (uri.startsWith("file:") || uri.startsWith("/")) {
      return local;
    }
    throw new DataException(
        "unsupported URI '" + uri + "': expected s3://bucket/key or file:/path");
  }

  @Override
  public List<String> list(String prefixUri) throws IOException {
    return route(prefixUri).list(prefixUri);
  }

  @Override
  public boolean exists(String uri) throws IOException {
    return route(uri).exists(uri);
  }

  @Override
  public InputStream open(String uri) throws IOException {
    return route(uri).open(uri);
  }

  @Override
  public void write(String uri, byte[] data) throws IOException {
    route(uri).write(uri, data);
  }

  @Override
  public void delete(String uri) throws IOException {
    route(uri).delete(uri);
  }
}
