package dev.kiln.controlplane.core;

import dev.kiln.api.spec.TrainingJobSpec;
import java.util.List;

/** Something the core asks a shell to do; every action is idempotent. */
public sealed interface Action {

  /**
   * Make what the ranks share exist: the spec file (merged with hyperparameters), the rendezvous
   * network identity and the per-job credentials.
   *
   * @param specJson the merged spec, as JSON, for {@code KILN_SPEC_FILE}
   * @param digest a digest of {@code specJson}; a shell reports it back once prepared
   */
  record Prepare(String specJson, String digest) implements Action {}

  /** Start these ranks of an attempt, each with the rank contract; ranks already there are kept. */
  record StartRanks(int attempt, List<Integer> ranks, TrainingJobSpec spec) implements Action {}

  /** Stop and remove these ranks (by name); ranks already gone are fine. */
  record StopRanks(List<String> names) implements Action {}

  /** Record an event on the job. */
  record RecordEvent(EventType type, Reason reason, String message) implements Action {}

  /** Delete the job and everything it owns ({@code ttlSecondsAfterFinished}). */
  record DeleteJob() implements Action {}

  /** Kubernetes event types. */
  enum EventType {
    Normal,
    Warning
  }
}
