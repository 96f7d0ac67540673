package dev.kiln.worker.report;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The rank's Prometheus metrics, served at {@code /metrics} on {@code KILN_METRICS_PORT}. */
public final class WorkerMetrics implements AutoCloseable {
  private final CollectorRegistry registry = new CollectorRegistry();
  private final HTTPServer server;
  final Gauge step = gauge("kiln_worker_step", "Optimizer steps taken");
  final Gauge epoch = gauge("kiln_worker_epoch", "Current epoch (1-based)");
  final Gauge loss = gauge("kiln_worker_loss", "Training loss of the last finished epoch");
  final Gauge samplesPerSecond =
      gauge("kiln_worker_samples_per_second", "Training samples per second over all ranks");
  final Counter allReduceSeconds =
      counter("kiln_worker_allreduce_seconds_total", "Seconds spent in gradient all-reduce");
  final Counter dataSeconds =
      counter("kiln_worker_data_loading_seconds_total", "Seconds spent loading and batching data");

  /** Serves on {@code port} when it is positive; metrics are kept either way. */
  public WorkerMetrics(int port) throws IOException {
    this.server = port > 0 ? new HTTPServer(new InetSocketAddress(port), registry, true) : null;
  }

  private Gauge gauge(String name, String help) {
    return Gauge.build(name, help).register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.build(name, help).register(registry);
  }

  public void step(long value) {
    step.set(value);
  }

  public void epoch(int value) {
    epoch.set(value);
  }

  public void loss(double value) {
    loss.set(value);
  }

  public void samplesPerSecond(double value) {
    samplesPerSecond.set(value);
  }

  public void allReduceSeconds(double seconds) {
    allReduceSeconds.inc(seconds);
  }

  public void dataSeconds(double seconds) {
    dataSeconds.inc(seconds);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
