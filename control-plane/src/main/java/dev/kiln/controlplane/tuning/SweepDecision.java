package dev.kiln.controlplane.tuning;

import dev.kiln.api.Manifests;
import dev.kiln.api.status.TuningJobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the core decided: actions in order, the new status, and when to look again.
 *
 * @param actions to run before the status is written
 * @param status the TuningJob's new status
 * @param requeueAfter when to reconcile again even if nothing changes
 */
public record SweepDecision(
    List<SweepAction> actions, TuningJobStatus status, Optional<Duration> requeueAfter) {

  /** Whether {@code current} differs from the decided status. */
  public boolean statusChanged(TuningJobStatus current) {
    return !Manifests.toJson(status).equals(Manifests.toJson(current));
  }
}
