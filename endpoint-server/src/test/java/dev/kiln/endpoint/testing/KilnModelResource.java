package dev.kiln.endpoint.testing;

import dev.kiln.endpoint.bench.BenchModel;
import dev.kiln.endpoint.runner.ModelFetcher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a small Kiln artifact (64 features, 10 classes) and points the server at it. */
public final class KilnModelResource implements QuarkusTestResourceLifecycleManager {

  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("kiln-endpoint-it-");
      Path model = BenchModel.write(dir.resolve("digits/model"), 64, new int[] {32}, 10, 9);
      return Map.of(
          "kiln.model.uri", model.toUri().toString(),
          "kiln.max.delay.micros", "3600000000",
          "kiln.max.batch.size", "16");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (dir != null) {
      new ModelFetcher.Fetched(dir, dir).close();
    }
  }
}
