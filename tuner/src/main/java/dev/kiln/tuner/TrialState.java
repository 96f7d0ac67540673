package dev.kiln.tuner;

/**
 * Where a trial stands, as the controller observes it.
 *
 * <ul>
 *   <li>{@code PENDING}: created, nothing reported yet.
 *   <li>{@code RUNNING}: reporting epochs.
 *   <li>{@code PAUSED}: finished its current epoch budget below the sweep's maximum (a rung of ASHA
 *       or Hyperband); it may be promoted and resume from its checkpoint.
 *   <li>{@code COMPLETED}: finished with its objective.
 *   <li>{@code STOPPED}: ended by early stopping; its last reported value stands.
 *   <li>{@code FAILED}: ended without an objective (e.g. {@code MetricsUnavailable}).
 * </ul>
 */
public enum TrialState {
  PENDING,
  RUNNING,
  PAUSED,
  COMPLETED,
  STOPPED,
  FAILED;

  /** Running or about to run: its parameters are taken, its result is not known yet. */
  public boolean isActive() {
    return this == PENDING || this == RUNNING;
  }
}
