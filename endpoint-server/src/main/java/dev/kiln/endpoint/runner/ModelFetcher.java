package dev.kiln.endpoint.runner;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * Turns a model URI ({@code s3://bucket/prefix/}, {@code file:/...} or a path) into local files.
 */
public final class ModelFetcher {

  private final S3Settings s3;

  public ModelFetcher(S3Settings s3) {
    this.s3 = s3;
  }

  /**
   * A model on local disk.
   *
   * @param path a folder or a single model file
   * @param downloaded the temporary folder it was downloaded to, deleted by {@link #close()}; null
   *     for a local model
   */
  public record Fetched(Path path, Path downloaded) implements AutoCloseable {
    @Override
    public void close() {
      if (downloaded != null) {
        deleteTree(downloaded);
      }
    }
  }

  /**
   * Fetches the model at {@code uri}.
   *
   * @param preferOnnx when a Kiln artifact folder holds both, fetch {@code model.onnx} instead of
   *     {@code model.json} + {@code weights.safetensors}
   */
  public Fetched fetch(String uri, boolean preferOnnx) {
    if (uri == null || uri.isBlank()) {
      throw new ModelLoadException(
          "no model URI: set KILN_MODEL_URI to s3://bucket/prefix/, s3://bucket/key.onnx, "
              + "file:/path or a path");
    }
    if (uri.startsWith("s3://")) {
      return fetchS3(uri, preferOnnx);
    }
    Path path = uri.startsWith("file:") ? Path.of(URI.create(fileUri(uri))) : Path.of(uri);
    if (!Files.exists(path)) {
      throw new ModelLoadException("model not found: " + path + " (from " + uri + ")");
    }
    return new Fetched(path, null);
  }

  /** {@code file:relative/x} is not a hierarchical URI; only absolute file URIs are. */
  private static String fileUri(String uri) {
    String rest = uri.substring("file:".length());
    if (!rest.startsWith("/")) {
      return Path.of(rest).toAbsolutePath().toUri().toString();
    }
    return uri;
  }

  private Fetched fetchS3(String uri, boolean preferOnnx) {
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new ModelLoadException("bad model URI " + uri + ": expected s3://bucket/prefix/");
    }
    String endpoint =
        s3.endpoint()
            .orElseThrow(
                () ->
                    new ModelLoadException(
                        "model URI " + uri + " is in S3 but KILN_S3_ENDPOINT is not set"));
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(endpoint)
            .credentials(s3.accessKey(), s3.secretKey())
            .region(s3.region());
    if (endpoint.startsWith("http://")) {
      // Plain HTTP: a cleartext-only client skips TLS setup (trust store, SSL context), which is
      // a good part of the client's start-up cost on the cold-start path.
      builder.httpClient(
          new OkHttpClient.Builder()
              .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
              .connectTimeout(Duration.ofSeconds(30))
              .readTimeout(Duration.ofMinutes(5))
              .writeTimeout(Duration.ofMinutes(5))
              .build(),
          true);
    }
    try (MinioClient client = builder.build()) {
      return fetchS3(client, uri, bucket, key, preferOnnx);
    } catch (ModelLoadException e) {
      throw e;
    } catch (Exception e) {
      throw new ModelLoadException("cannot fetch " + uri + ": " + e.getMessage(), e);
    }
  }

  private Fetched fetchS3(
      MinioClient client, String uri, String bucket, String key, boolean preferOnnx) {
    Path dir;
    try {
      dir = Files.createTempDirectory("kiln-model-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      if (!key.isEmpty() && !key.endsWith("/")) {
        Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
        download(client, bucket, key, file, uri);
        return new Fetched(file, dir);
      }
      List<String> keys = list(client, bucket, key, uri);
      List<String> wanted = choose(keys, key, preferOnnx);
      if (wanted.isEmpty()) {
        throw new ModelLoadException(
            "no model under "
                + uri
                + ": expected model.json + weights.safetensors, or a .onnx file; found "
                + keys);
      }
      for (String k : wanted) {
        Path file = dir.resolve(k.substring(key.length()));
        Files.createDirectories(file.getParent());
        download(client, bucket, k, file, uri);
      }
      return new Fetched(dir, dir);
    } catch (IOException e) {
      deleteTree(dir);
      throw new ModelLoadException("cannot fetch " + uri + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** Only the files the chosen format needs, so cold start does not pay for the other one. */
  static List<String> choose(List<String> keys, String prefix, boolean preferOnnx) {
    String json = prefix + "model.json";
    String weights = prefix + "weights.safetensors";
    String onnx = prefix + "model.onnx";
    boolean kiln = keys.contains(json) && keys.contains(weights);
    if (kiln && !(preferOnnx && keys.contains(onnx))) {
      return List.of(json, weights);
    }
    if (keys.contains(onnx)) {
      return List.of(onnx);
    }
    List<String> onnxFiles = keys.stream().filter(k -> k.endsWith(".onnx")).toList();
    return onnxFiles.size() == 1 ? onnxFiles : List.of();
  }

  private static List<String> list(MinioClient client, String bucket, String prefix, String uri) {
    List<String> keys = new ArrayList<>();
    try {
      for (Result<Item> r :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (!item.isDir()) {
          keys.add(item.objectName());
        }
      }
    } catch (Exception e) {
      throw new ModelLoadException("cannot list " + uri + ": " + e.getMessage(), e);
    }
    return keys;
  }

  private static void download(
      MinioClient client, String bucket, String key, Path file, String uri) {
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      throw new ModelLoadException(
          "cannot download s3://" + bucket + "/" + key + " (for " + uri + "): " + e.getMessage(),
          e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp folder is harmless.
    }
  }
}
