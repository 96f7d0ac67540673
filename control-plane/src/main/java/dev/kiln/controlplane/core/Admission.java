package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;

/**
 * The seam for queueing: whether a job's gang may start now. The scheduler core (queue quota,
 * priority, fair share) implements it; until then every gang is admitted.
 */
public interface Admission {

  /** Asked for a job whose gang is about to start. */
  Verdict admit(TrainingJob job);

  /**
   * Admission's answer; {@code position} is the place in the queue (1 is next) when not admitted.
   */
  record Verdict(boolean admitted, Integer position, String message) {
    public static final Verdict ADMITTED = new Verdict(true, null, null);

    public static Verdict queued(int position, String message) {
      return new Verdict(false, position, message);
    }
  }

  /** Admits everything. */
  Admission ALL = job -> Verdict.ADMITTED;
}
