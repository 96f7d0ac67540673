package dev.kiln.endpoint.http;

import dev.kiln.endpoint.batch.BatchListener;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, in a registry of its own. {@code
 * kiln_endpoint_in_flight_requests} counts prediction requests only (infer and invocations): it is
 * what autoscaling compares with {@code targetInFlight}.
 */
public final class ServerMetrics implements BatchListener {

  private final CollectorRegistry registry = new CollectorRegistry();
  private final Counter requests =
      Counter.build()
          .name("kiln_endpoint_requests_total")
          .help("HTTP requests by route and status code.")
          .labelNames("route", "code")
          .register(registry);
  private final Histogram latency =
      Histogram.build()
          .name("kiln_endpoint_request_duration_seconds")
          .help("Time from a request's arrival to the end of its response, by route.")
          .labelNames("route")
          .buckets(
              0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
              2.5, 5)
          .register(registry);
  private final Histogram batchSize =
      Histogram.build()
          .name("kiln_endpoint_batch_size")
          .help("Rows per forward pass.")
          .buckets(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
          .register(registry);
  private final Counter batchRequests =
      Counter.build()
          .name("kiln_endpoint_batched_requests_total")
          .help("Requests that ran, summed over forward passes.")
          .register(registry);
  private final Histogram forward =
      Histogram.build()
          .name("kiln_endpoint_forward_duration_seconds")
          .help("Time of one forward pass over a batch.")
          .buckets(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1)
          .register(registry);
  private volatile IntSupplier queueDepth = () -> 0;
  private volatile IntSupplier inFlight = () -> 0;

  public ServerMetrics() {
    new Collector() {
      @Override
      public List<MetricFamilySamples> collect() {
        return List.of(
            new GaugeMetricFamily(
                "kiln_endpoint_queue_depth",
                "Requests waiting for the model.",
                queueDepth.getAsInt()),
            new GaugeMetricFamily(
                "kiln_endpoint_in_flight_requests",
                "Prediction requests received and not yet answered.",
                inFlight.getAsInt()));
      }
    }.register(registry);
  }

  /** Where {@code kiln_endpoint_queue_depth} is read from at scrape time. */
  public void queueDepthFrom(IntSupplier supplier) {
    this.queueDepth = supplier;
  }

  /** Where {@code kiln_endpoint_in_flight_requests} is read from at scrape time. */
  public void inFlightFrom(IntSupplier supplier) {
    this.inFlight = supplier;
  }

  void record(String route, int code, long nanos) {
    requests.labels(route, Integer.toString(code)).inc();
    latency.labels(route).observe(nanos / 1e9);
  }

  @Override
  public void batchRan(int rows, int requestCount, long nanos) {
    batchSize.observe(rows);
    batchRequests.inc(requestCount);
    forward.observe(nanos / 1e9);
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    StringWriter out = new StringWriter(4096);
    try {
      TextFormat.write004(out, registry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  public CollectorRegistry registry() {
    return registry;
  }
}
