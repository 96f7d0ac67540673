package dev.kiln.controlplane.core;

import java.util.Optional;

/**
 * Where ReportMetrics keeps a job's metrics: the TrainingJob's status in cluster mode, the local
 * store in local mode. Implementations apply {@link MetricsBook} to the newest status and write it
 * only when it changed, without losing concurrent writes.
 */
public interface MetricsStore {

  /** Records one epoch's values of the job with this uid; empty when there is no such job. */
  Optional<Result> record(String jobUid, int attempt, MetricsBook.EpochValues values);

  /** What became of the report, and whether the job's ranks should stop. */
  record Result(MetricsBook.Outcome outcome, StopSignal stop) {}
}
