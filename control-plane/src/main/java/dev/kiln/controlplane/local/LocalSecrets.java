package dev.kiln.controlplane.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secrets of one local-mode home, made once and kept (owner-only) in {@code secrets.json}, so
 * that a restarted control plane still accepts the tokens of ranks it re-adopts and the CLI's.
 *
 * @param tokenKey signs per-job tokens ({@code kiln.token-key})
 * @param apiToken the bearer token of the {@code LocalApi} (the CLI's, in {@code local.json})
 * @param s3AccessKey the embedded S3 server's access key
 * @param s3SecretKey the embedded S3 server's secret key
 */
public record LocalSecrets(
    String tokenKey, String apiToken, String s3AccessKey, String s3SecretKey) {
  static final String FILE = "secrets.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The home's secrets, created on first use. */
  public static synchronized LocalSecrets loadOrCreate(Path home) {
    Path file = home.resolve(FILE);
    return AtomicFiles.read(file)
        .map(LocalSecrets::parse)
        .orElseGet(
            () -> {
              LocalSecrets fresh = new LocalSecrets(random(32), random(32), "kiln", random(24));
              AtomicFiles.write(file, fresh.toJson(), true);
              return fresh;
            });
  }

  private static LocalSecrets parse(String json) {
    try {
      return JSON.readValue(json, LocalSecrets.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable " + FILE + ": " + e.getOriginalMessage(), e);
    }
  }

  String toJson() {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
