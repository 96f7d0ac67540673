package dev.kiln.endpoint;

import dev.kiln.endpoint.batch.BatchOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * The server's settings, from environment variables (or the equivalent {@code kiln.*} properties).
 *
 * <ul>
 *   <li>{@code KILN_MODEL_URI}: {@code s3://bucket/prefix/}, {@code s3://bucket/x.onnx}, {@code
 *       file:/...} or a path; required
 *   <li>{@code KILN_MODEL_NAME}: the name in {@code /v2/models/{name}}; default the artifact's
 *   <li>{@code KILN_MODEL_FORMAT}: {@code auto} (Kiln artifact if present, else ONNX), {@code kiln}
 *       or {@code onnx}
 *   <li>{@code KILN_MAX_BATCH_SIZE} (32), {@code KILN_MAX_DELAY_MICROS} (1000), {@code
 *       KILN_MAX_QUEUE} (1024 requests), {@code KILN_BATCHING} ({@code on}; {@code off} = batch 1)
 *   <li>{@code KILN_MAX_BODY_BYTES} (16 MiB), {@code KILN_THREADS} (compute threads; 0 = default)
 *   <li>{@code KILN_SHUTDOWN_TIMEOUT_SECONDS} (30)
 * </ul>
 */
public record EndpointSettings(
    String modelUri,
    Optional<String> modelName,
    String modelFormat,
    BatchOptions batching,
    long maxBodyBytes,
    int threads,
    Duration shutdownTimeout) {

  /** Reads the settings from Quarkus's configuration (environment, system properties, files). */
  public static EndpointSettings from(Config config) {
    return from(name -> config.getOptionalValue(name, String.class));
  }

  /** Reads the settings from the environment alone ({@code kiln.x.y} is {@code KILN_X_Y}). */
  public static EndpointSettings fromEnvironment() {
    return from(
        name ->
            Optional.ofNullable(System.getenv(name.replace('.', '_').toUpperCase(Locale.ROOT))));
  }

  /**
   * Reads the settings through {@code lookup}, which maps a property name like {@code
   * kiln.max.batch.size} to its value (the environment variable {@code KILN_MAX_BATCH_SIZE}).
   */
  public static EndpointSettings from(Function<String, Optional<String>> lookup) {
    BatchOptions batching =
        new BatchOptions(
            number(lookup, "kiln.max.batch.size", 32),
            number(lookup, "kiln.max.delay.micros", 1000L),
            number(lookup, "kiln.max.queue", 1024));
    String mode = lookup.apply("kiln.batching").orElse("on");
    if (mode.equalsIgnoreCase("off")) {
      batching = batching.unbatched();
    } else if (!mode.equalsIgnoreCase("on")) {
      throw new IllegalArgumentException("KILN_BATCHING must be on or off, got " + mode);
    }
    String format = lookup.apply("kiln.model.format").filter(f -> !f.isBlank()).orElse("auto");
    if (!format.equals("auto") && !format.equals("kiln") && !format.equals("onnx")) {
      throw new IllegalArgumentException(
          "KILN_MODEL_FORMAT must be auto, kiln or onnx, got " + format);
    }
    return new EndpointSettings(
        lookup.apply("kiln.model.uri").orElse(""),
        lookup.apply("kiln.model.name").filter(s -> !s.isBlank()),
        format,
        batching,
        number(lookup, "kiln.max.body.bytes", 16L << 20),
        number(lookup, "kiln.threads", 0),
        Duration.ofSeconds(number(lookup, "kiln.shutdown.timeout.seconds", 30)));
  }

  private static int number(Function<String, Optional<String>> lookup, String name, int fallback) {
    return Math.toIntExact(number(lookup, name, (long) fallback));
  }

  private static long number(
      Function<String, Optional<String>> lookup, String name, long fallback) {
    Optional<String> v = lookup.apply(name).filter(s -> !s.isBlank());
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v.get().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name.replace('.', '_').toUpperCase(Locale.ROOT)
              + " must be a whole number, got "
              + v.get());
    }
  }

  /** Whether a model loaded for {@code other} is the one these settings ask for. */
  public boolean sameModel(EndpointSettings other) {
    return modelUri.equals(other.modelUri)
        && modelFormat.equals(other.modelFormat)
        && threads == other.threads;
  }
}
