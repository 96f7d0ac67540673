package dev.kiln.controlplane.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The control plane's own Prometheus metrics, served at /metrics. Their registry belongs to this
 * class (not the JVM-wide default), so an application restarted in the same JVM registers afresh.
 */
public final class ControlPlaneMetrics {
  public static final CollectorRegistry REGISTRY = new CollectorRegistry(true);

  public static final Counter RECONCILES =
      Counter.build()
          .name("kiln_reconciles_total")
          .help("Reconciles, by kind and result")
          .labelNames("kind", "result")
          .register(REGISTRY);
  public static final Histogram RECONCILE_SECONDS =
      Histogram.build()
          .name("kiln_reconcile_seconds")
          .help("Time of one reconcile, I/O included")
          .labelNames("kind")
          .register(REGISTRY);
  public static final Counter STATUS_WRITES =
      Counter.build()
          .name("kiln_status_writes_total")
          .help("Status subresource writes, by kind")
          .labelNames("kind")
          .register(REGISTRY);
  public static final Counter RANK_PODS_CREATED =
      Counter.build()
          .name("kiln_rank_pods_created_total")
          .help("Rank pods created")
          .register(REGISTRY);
  public static final Counter METRIC_REPORTS =
      Counter.build()
          .name("kiln_metric_reports_total")
          .help("ReportMetrics calls, by outcome")
          .labelNames("outcome")
          .register(REGISTRY);

  private ControlPlaneMetrics() {}
}
