package dev.kiln.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Objects addressed by URI: {@code s3://bucket/key} through an S3 API, or {@code file:/path} for
 * local folders. Keys ending in {@code /} are prefixes ("folders").
 */
public interface ObjectStore {

  /** URIs of every object whose key starts with {@code prefixUri}, sorted by key. */
  List<String> list(String prefixUri) throws IOException;

  /** Whether the object exists. */
  boolean exists(String uri) throws IOException;

  /** Opens the object for reading; throws {@link java.io.FileNotFoundException} if absent. */
  InputStream open(String uri) throws IOException;

  /** Reads the whole object. */
  default byte[] read(String uri) throws IOException {
    try (InputStream in = open(uri)) {
      return in.readAllBytes();
    }
  }

  /** Writes (replaces) the object; the write is visible all at once. */
  void write(String uri, byte[] data) throws IOException;

  /** Deletes the object if it exists. */
  void delete(String uri) throws IOException;

  /** Joins a prefix URI and a relative key with exactly one slash. */
  static String join(String prefix, String key) {
    String p = prefix.endsWith("/") ? prefix : prefix + "/";
    return p + (key.startsWith("/") ? key.substring(1) : key);
  }
}
