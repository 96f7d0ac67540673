package dev.kiln.controlplane.admission;

import dev.kiln.controlplane.http.ControlPlaneMetrics;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/** The scheduler's Prometheus metrics, served with the control plane's at /metrics. */
final class AdmissionMetrics {
  static final Counter CYCLES =
      Counter.build()
          .name("kiln_scheduler_decisions_total")
          .help("Scheduling decisions (cycles of the scheduler core); rate() gives decisions/s")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Counter ATTEMPTS =
      Counter.build()
          .name("kiln_scheduler_attempts_total")
          .help("Gangs considered for admission, by result (admitted, pending)")
          .labelNames("result")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Counter PREEMPTIONS =
      Counter.build()
          .name("kiln_scheduler_preemptions_total")
          .help("Gangs evicted for gangs of higher priority")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Histogram DECISION_SECONDS =
      Histogram.build()
          .name("kiln_scheduler_decision_seconds")
          .help("Time of one decision of the scheduler core")
          .buckets(0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1)
          .register(ControlPlaneMetrics.REGISTRY);
  static final Histogram SUBMIT_TO_BOUND =
      Histogram.build()
          .name("kiln_scheduler_submit_to_bound_seconds")
          .help("From an attempt waiting for admission to every rank of it placed on a node")
          .buckets(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)
          .register(ControlPlaneMetrics.REGISTRY);
  static final Gauge PENDING =
      Gauge.build()
          .name("kiln_scheduler_pending_gangs")
          .help("Gangs waiting for admission, by queue")
          .labelNames("queue")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Gauge ADMITTED =
      Gauge.build()
          .name("kiln_scheduler_admitted_gangs")
          .help("Gangs holding resources, by queue")
          .labelNames("queue")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Gauge GPUS =
      Gauge.build()
          .name("kiln_scheduler_gpus")
          .help("GPUs of schedulable nodes, by state (allocatable, used)")
          .labelNames("state")
          .register(ControlPlaneMetrics.REGISTRY);
  static final Gauge GPU_UTILIZATION =
      Gauge.build()
          .name("kiln_scheduler_gpu_utilization")
          .help("Used over allocatable GPUs (0 without GPUs)")
          .register(ControlPlaneMetrics.REGISTRY);

  private AdmissionMetrics() {}
}
