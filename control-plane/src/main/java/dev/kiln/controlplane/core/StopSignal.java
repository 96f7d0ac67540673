package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import java.util.Map;

/**
 * Whether a job's ranks should stop after the current epoch, as answered to ReportMetrics: the
 * tuner asked (annotation {@value #EARLY_STOP}, the reason as its value), or the job is being
 * cancelled (deleted, suspended, failed).
 */
public record StopSignal(boolean stop, String reason) {
  /** Set by the tuner on a trial it stops early; the value says why. */
  public static final String EARLY_STOP = "kiln.dev/early-stop";

  public static final StopSignal CONTINUE = new StopSignal(false, "");

  public static StopSignal of(TrainingJob job) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(EARLY_STOP)) {
      String why = annotations.get(EARLY_STOP);
      return new StopSignal(
          true, why == null || why.isBlank() ? "EarlyStopped" : "EarlyStopped: " + why);
    }
    if (job.getMetadata().getDeletionTimestamp() != null) {
      return new StopSignal(true, "Cancelled: the job is being deleted");
    }
    if (job.getSpec() != null && job.getSpec().suspended()) {
      return new StopSignal(true, "Suspended: the job was suspended");
    }
    if (job.getStatus() != null && job.getStatus().phase == Phase.FAILED) {
      return new StopSignal(true, "Failed: the job has failed");
    }
    return CONTINUE;
  }
}
