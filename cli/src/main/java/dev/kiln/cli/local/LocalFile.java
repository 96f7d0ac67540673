package dev.kiln.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.LocalConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ~/.kiln/local.json} with the fields beyond {@link LocalConfig}: the control plane's pid
 * and the embedded S3 server's keys.
 *
 * @param pid the local control plane's process id, or 0 when unknown
 */
public record LocalFile(LocalConfig config, long pid, String s3AccessKey, String s3SecretKey) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file of a running (or crashed) local control plane; empty when there is none. */
  public static Optional<LocalFile> find(Path userHome) {
    Path file = LocalConfig.defaultFile(userHome);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(read(file));
  }

  /** Reads the file; fails like {@link LocalConfig#read} when it is missing or invalid. */
  public static LocalFile read(Path file) {
    LocalConfig config = LocalConfig.read(file);
    try {
      JsonNode root = JSON.readTree(Files.readString(file));
      return new LocalFile(
          config,
          root.path("pid").asLong(0),
          root.path("s3AccessKey").asText(""),
          root.path("s3SecretKey").asText(""));
    } catch (IOException e) {
      throw KilnException.failed("cannot read " + file + ": " + e.getMessage(), null);
    }
  }

  /** The control plane's process, if it still runs. */
  public Optional<ProcessHandle> process() {
    return pid <= 0 ? Optional.empty() : ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }
}
