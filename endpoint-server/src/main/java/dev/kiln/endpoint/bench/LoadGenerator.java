package dev.kiln.endpoint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's load, run in its own JVM: {@code concurrency} closed-loop clients, each on its
 * own keep-alive connection, POST the same body for a warm-up and then a measured window. Prints
 * one JSON line: requests and errors in the window, throughput and client-side latency percentiles.
 *
 * <p>Usage: {@code LoadGenerator --host H --port P --path /v2/models/m/infer --body FILE
 * --concurrency C --seconds S [--warmup-seconds W] [--content-type T]}
 */
public final class LoadGenerator {

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    String host = a.get("host", "127.0.0.1");
    int port = Integer.parseInt(a.required("port"));
    int concurrency = Integer.parseInt(a.required("concurrency"));
    double seconds = Double.parseDouble(a.required("seconds"));
    double warmup = Double.parseDouble(a.get("warmup-seconds", "2"));
    byte[] body = Files.readAllBytes(Path.of(a.required("body")));
    byte[] request =
        HttpLoadClient.post(
            host, port, a.required("path"), a.get("content-type", "application/json"), body);
    System.out.println(run(host, port, request, concurrency, seconds, warmup).toJson());
  }

  /** What the clients saw in the measured window. */
  record Result(
      long requests, long errors, double seconds, long[] sortedLatencyNanos, String firstError) {
    double throughput() {
      return requests / seconds;
    }

    double percentileMicros(double p) {
      if (sortedLatencyNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p * sortedLatencyNanos.length) - 1;
      return sortedLatencyNanos[Math.max(0, Math.min(i, sortedLatencyNanos.length - 1))] / 1000.0;
    }

    String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"requests\":%d,\"errors\":%d,\"seconds\":%.3f,\"throughput_rps\":%.1f,"
              + "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"first_error\":%s}",
          requests,
          errors,
          seconds,
          throughput(),
          percentileMicros(0.50),
          percentileMicros(0.90),
          percentileMicros(0.99),
          percentileMicros(1.0),
          firstError == null
              ? "null"
              : "\"" + firstError.replace("\\", "\\\\").replace("\"", "'") + "\"");
    }
  }

  static Result run(
      String host, int port, byte[] request, int concurrency, double seconds, double warmup)
      throws InterruptedException {
    long start = System.nanoTime() + 50_000_000L;
    long measureFrom = start + (long) (warmup * 1e9);
    long measureTo = measureFrom + (long) (seconds * 1e9);
    long[][] latencies = new long[concurrency][];
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Thread[] threads = new Thread[concurrency];
    for (int c = 0; c < concurrency; c++) {
      int id = c;
      threads[c] =
          new Thread(
              () ->
                  latencies[id] =
                      client(
                          host, port, request, start, measureFrom, measureTo, errors, firstError),
              "load-" + c);
      threads[c].start();
    }
    int total = 0;
    for (int c = 0; c < concurrency; c++) {
      threads[c].join();
      total += latencies[c].length;
    }
    long[] all = new long[total];
    int off = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 0, all, off, l.length);
      off += l.length;
    }
    Arrays.sort(all);
    return new Result(total, errors.get(), seconds, all, firstError.get());
  }

  /** One closed-loop client; returns the latencies of its successful requests in the window. */
  private static long[] client(
      String host,
      int port,
      byte[] request,
      long start,
      long measureFrom,
      long measureTo,
      AtomicLong errors,
      AtomicReference<String> firstError) {
    long[] lat = new long[1 << 14];
    int n = 0;
    try (HttpLoadClient client = new HttpLoadClient(host, port)) {
      while (System.nanoTime() < start) {
        Thread.onSpinWait();
      }
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= measureTo) {
          break;
        }
        String error = null;
        try {
          int code = client.exchange(request);
          if (code != 200) {
            error = "HTTP " + code;
          }
        } catch (IOException e) {
          error = e.toString();
        }
        long t1 = System.nanoTime();
        if (t0 < measureFrom || t1 > measureTo) {
          continue;
        }
        if (error != null) {
          errors.incrementAndGet();
          firstError.compareAndSet(null, error);
        } else {
          if (n == lat.length) {
            lat = Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = t1 - t0;
        }
      }
    }
    return Arrays.copyOf(lat, n);
  }
}
