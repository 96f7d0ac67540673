package dev.kiln.endpoint.router;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The router's Prometheus metrics, per endpoint and model version, in a registry of its own. */
final class RouterMetrics {
  private final CollectorRegistry registry = new CollectorRegistry();
  private final Counter attempts =
      Counter.build()
          .name("kiln_router_requests_total")
          .help(
              "Requests sent to a replica, by endpoint, version and status code (502: no answer).")
          .labelNames("endpoint", "version", "code")
          .register(registry);
  private final Histogram latency =
      Histogram.build()
          .name("kiln_router_request_duration_seconds")
          .help("Time from sending a request to a replica to its whole answer.")
          .labelNames("endpoint", "version")
          .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
          .register(registry);

  void attempt(String endpoint, String version, int code, long micros) {
    attempts.labels(endpoint, version, Integer.toString(code)).inc();
    latency.labels(endpoint, version).observe(micros / 1e6);
  }

  /** Exposes each version's in-flight count, error rate and recent p99 as gauges. */
  void watch(Map<String, RouterServer.EndpointState> endpoints) {
    new Collector() {
      @Override
      public List<MetricFamilySamples> collect() {
        List<String> labels = List.of("endpoint", "version");
        GaugeMetricFamily inFlight =
            new GaugeMetricFamily(
                "kiln_router_in_flight_requests", "Requests in flight per version.", labels);
        GaugeMetricFamily errorRate =
            new GaugeMetricFamily(
                "kiln_router_error_rate",
                "Errors / requests per version since it appeared.",
                labels);
        GaugeMetricFamily p99 =
            new GaugeMetricFamily(
                "kiln_router_p99_seconds", "p99 latency of the most recent requests.", labels);
        endpoints.forEach(
            (name, state) ->
                state.stats.forEach(
                    (version, s) -> {
                      List<String> values = List.of(name, version);
                      inFlight.addMetric(values, s.inFlight());
                      errorRate.addMetric(values, s.toJson().getDouble("errorRate"));
                      p99.addMetric(values, s.p99Millis() / 1000);
                    }));
        return new ArrayList<>(List.of(inFlight, errorRate, p99));
      }
    }.register(registry);
  }

  String scrape() {
    StringWriter out = new StringWriter();
    try {
      TextFormat.write004(out, registry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
