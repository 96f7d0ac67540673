package dev.kiln.controlplane.tuning;

import dev.kiln.api.TrainingJob;

/** What the TuningJob core asks its shell to do; every action is idempotent. */
public sealed interface SweepAction {

  /** Creates trial {@code job} (its index and parameters recorded in its annotations). */
  record CreateTrial(int index, TrainingJob job) implements SweepAction {}

  /** Raises a paused trial's {@code algorithm.epochs}: it resumes from its checkpoint. */
  record RaiseEpochs(String trial, int fromEpoch, int epochs) implements SweepAction {}

  /** Asks a running trial to stop after its next report (annotation kiln.dev/early-stop). */
  record EarlyStop(String trial, String reason) implements SweepAction {}

  /**
   * Records a finished trial's verdict in its status: condition {@code EarlyStopped}, or phase
   * Failed with reason {@code MetricsUnavailable}.
   */
  record MarkTrial(String trial, Verdict verdict, String message) implements SweepAction {}

  /** An event on the TuningJob. */
  record Event(boolean warning, SweepReason reason, String message) implements SweepAction {}

  /** What a finished trial turned out to be. */
  enum Verdict {
    EARLY_STOPPED,
    METRICS_UNAVAILABLE
  }
}
