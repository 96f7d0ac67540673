package dev.kiln.controlplane.core;

import dev.kiln.api.Manifests;
import dev.kiln.api.status.TrainingJobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the core decided: the job's new status, the actions to take, and when to look again.
 *
 * @param requeueAfter when to reconcile again if nothing else happens first
 */
public record Decision(
    TrainingJobStatus status, List<Action> actions, Optional<Duration> requeueAfter) {
  public Decision {
    actions = List.copyOf(actions);
  }

  /** Whether {@link #status()} differs from {@code before}: only then is status written. */
  public boolean statusChanged(TrainingJobStatus before) {
    return !sameStatus(before, status);
  }

  /** Compares statuses by their JSON form, which is what the API server stores. */
  public static boolean sameStatus(TrainingJobStatus a, TrainingJobStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(Manifests.json().valueToTree(a), Manifests.json().valueToTree(b));
  }
}
