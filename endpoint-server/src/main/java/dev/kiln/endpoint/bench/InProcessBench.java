package dev.kiln.endpoint.bench;

import dev.kiln.endpoint.runner.ModelFetcher;
import dev.kiln.endpoint.runner.ModelLoader;
import dev.kiln.endpoint.runner.ModelRunner;
import dev.kiln.endpoint.runner.S3Settings;
import java.util.Arrays;
import java.util.Locale;

/**
 * The in-process baseline, run in a child JVM with the server's JVM flags: the model loaded the way
 * the server loads it, then the forward pass of one row timed in a loop. Prints one JSON line with
 * {@code inprocess_p50_us}, {@code load_ms} (fetch + open) and {@code first_forward_ms}.
 *
 * <p>Usage: {@code InProcessBench --model URI [--format auto|kiln|onnx] [--threads T] [--seconds
 * S]}
 */
public final class InProcessBench {

  private InProcessBench() {}

  public static void main(String[] args) {
    Args a = Args.parse(args);
    String uri = a.required("model");
    double seconds = Double.parseDouble(a.get("seconds", "2"));
    long t0 = System.nanoTime();
    try (ModelRunner runner =
        new ModelLoader(new ModelFetcher(S3Settings.fromEnvironment()))
            .load(uri, a.get("format", "auto"), Integer.parseInt(a.get("threads", "0")))) {
      long loaded = System.nanoTime();
      float[] row = BenchModel.rows(1, runner.signature().inputWidth(), 1);
      runner.run(row, 1);
      long first = System.nanoTime();
      double p50 = p50Micros(runner, row, seconds);
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"inprocess_p50_us\":%.1f,\"load_ms\":%.1f,\"first_forward_ms\":%.2f,\"platform\":\"%s\"}",
              p50,
              (loaded - t0) / 1e6,
              (first - loaded) / 1e6,
              runner.signature().platform()));
    }
    // A child of the benchmark: exit at once, whatever threads a client library left behind.
    System.exit(0);
  }

  /**
   * Median time of {@code run(row, 1)} over a window of {@code seconds}, after as long a warm-up.
   */
  static double p50Micros(ModelRunner runner, float[] row, double seconds) {
    long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warmEnd) {
      runner.run(row, 1);
    }
    long[] samples = new long[1 << 16];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (true) {
      long t0 = System.nanoTime();
      if (t0 >= end) {
        break;
      }
      runner.run(row, 1);
      long t1 = System.nanoTime();
      if (n == samples.length) {
        samples = Arrays.copyOf(samples, n * 2);
      }
      samples[n++] = t1 - t0;
    }
    Arrays.sort(samples, 0, n);
    return samples[(n - 1) / 2] / 1000.0;
  }
}
