package dev.kiln.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the local control plane is: the {@code ~/.kiln/local.json} that {@code kiln local up}
 * writes.
 *
 * @param address the control plane's gRPC + HTTP listener, {@code host:port}
 * @param s3 the embedded S3 endpoint, {@code http://host:port}
 * @param token the bearer token for gRPC calls
 * @param home the local-mode home folder (store, logs, objects)
 */
public record LocalConfig(String address, String s3, String token, Path home) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public LocalConfig {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(home, "home");
  }

  /** {@code <userHome>/.kiln/local.json}. */
  public static Path defaultFile(Path userHome) {
    return userHome.resolve(".kiln").resolve("local.json");
  }

  /**
   * Reads {@code file}. A missing file means no local control plane runs; a file without the needed
   * fields is reported with its path. Unknown fields are ignored, so {@code kiln local up} may add
   * some. Without {@code home}, the file's folder is the home.
   */
  public static LocalConfig read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw KilnException.noLocalControlPlane("no " + file);
    } catch (JsonProcessingException e) {
      throw invalid(file, "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw KilnException.failed("cannot read " + file + ": " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw invalid(file, "expected a JSON object");
    }
    String address = text(root, "address", file);
    if (!address.matches(".+:\\d{1,5}")) {
      throw invalid(file, "address must be host:port, got \"" + address + "\"");
    }
    String s3 = text(root, "s3", file);
    String token = text(root, "token", file);
    Path folder = file.toAbsolutePath().getParent();
    Path home = root.hasNonNull("home") ? folder.resolve(text(root, "home", file)) : folder;
    return new LocalConfig(address, s3, token, home.normalize());
  }

  /** The host part of {@link #address()}. */
  public String host() {
    return address.substring(0, address.lastIndexOf(':'));
  }

  /** The port part of {@link #address()}. */
  public int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static String text(JsonNode root, String field, Path file) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw invalid(file, "\"" + field + "\" is missing");
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw invalid(file, "\"" + field + "\" must be a non-empty string");
    }
    return node.asText();
  }

  private static KilnException invalid(Path file, String what) {
    return KilnException.failed(
        file + " is not a valid local-mode file: " + what,
        "restart local mode with: kiln local down && kiln local up");
  }
}
