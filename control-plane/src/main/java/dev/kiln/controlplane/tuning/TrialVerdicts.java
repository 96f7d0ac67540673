package dev.kiln.controlplane.tuning;

import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import java.time.Instant;
import java.util.ArrayList;

/**
 * A finished trial's status with the sweep's verdict written in: condition {@code EarlyStopped}, or
 * phase Failed with reason {@code MetricsUnavailable}. The TrainingJob controller leaves a finished
 * job's phase and foreign conditions alone. Pure.
 */
public final class TrialVerdicts {
  private TrialVerdicts() {}

  /** The new status, or null when the verdict is already there. */
  public static TrainingJobStatus apply(
      TrainingJob trial, SweepAction.Verdict verdict, String message, Instant now) {
    TrainingJobStatus s =
        trial.getStatus() == null ? new TrainingJobStatus() : Manifests.copy(trial.getStatus());
    if (s.conditions == null) {
      s.conditions = new ArrayList<>();
    }
    Long gen = trial.getMetadata().getGeneration();
    boolean changed;
    if (verdict == SweepAction.Verdict.EARLY_STOPPED) {
      if (s.phase != Phase.SUCCEEDED) {
        return null;
      }
      changed =
          Conditions.set(
              s.conditions,
              Conditions.EARLY_STOPPED,
              true,
              SweepReason.EARLY_STOPPED.text(),
              message,
              gen,
              now);
    } else {
      if (s.phase == Phase.FAILED) {
        return null;
      }
      String reason = SweepReason.METRICS_UNAVAILABLE.text();
      s.phase = Phase.FAILED;
      Conditions.set(s.conditions, Conditions.READY, false, reason, message, gen, now);
      Conditions.set(s.conditions, Conditions.DEGRADED, true, reason, message, gen, now);
      changed = true;
    }
    return changed ? s : null;
  }
}
