package dev.kiln.endpoint.router;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the router measured of one model version: attempts, errors (5xx or no answer) and the
 * latency of the most recent attempts, from which it reports p99.
 */
final class VersionStats {
  private static final int WINDOW = 2048;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long[] latencies = new long[WINDOW];
  private long recorded;

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(long micros, boolean error) {
    inFlight.decrementAndGet();
    requests.incrementAndGet();
    if (error) {
      errors.incrementAndGet();
    }
    synchronized (latencies) {
      latencies[(int) (recorded++ % WINDOW)] = micros;
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  /** The p99 latency in milliseconds over the most recent attempts, or 0 before any. */
  double p99Millis() {
    long[] copy;
    synchronized (latencies) {
      copy = Arrays.copyOf(latencies, (int) Math.min(recorded, WINDOW));
    }
    if (copy.length == 0) {
      return 0;
    }
    Arrays.sort(copy);
    int index = (int) Math.ceil(0.99 * copy.length) - 1;
    return copy[Math.max(0, index)] / 1000.0;
  }

  JsonObject toJson() {
    long r = requests.get();
    long e = errors.get();
    return new JsonObject()
        .put("requests", r)
        .put("errors", e)
        .put("errorRate", r == 0 ? 0.0 : (double) e / r)
        .put("p99Millis", p99Millis())
        .put("inFlight", inFlight.get());
  }
}
