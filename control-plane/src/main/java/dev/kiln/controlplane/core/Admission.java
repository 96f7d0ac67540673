package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;

/**
 * The seam for queueing: whether a job's gang may start now. The scheduler core (queue quota,
 * priority, fair share, preemption) implements it in {@code dev.kiln.controlplane.admission}.
 */
public interface Admission {

  /** Asked for a job whose gang is about to start, and on every look at a job. */
  Verdict admit(TrainingJob job);

  /**
   * Admission's answer.
   *
   * @param position the place in the job's queue (1 is next) when not admitted
   * @param reason why it waits: the Progressing and GangScheduled reason while Queued
   * @param message the exact blocker, e.g. {@code quota of queue a exhausted: 12/16 GPUs used}
   * @param preemptedAttempt set when the scheduler evicted this attempt of the job: it goes back to
   *     the queue without counting a restart
   */
  record Verdict(
      boolean admitted, Integer position, Reason reason, String message, Integer preemptedAttempt) {
    public static final Verdict ADMITTED = new Verdict(true, null, null, null, null);

    public static Verdict queued(Integer position, String message) {
      return queued(position, Reason.QUEUED, message);
    }

    public static Verdict queued(Integer position, Reason reason, String message) {
      return new Verdict(false, position, reason, message, null);
    }

    /** The scheduler evicted attempt {@code attempt} for a gang of higher priority. */
    public static Verdict preempted(int attempt, String message) {
      return new Verdict(false, null, Reason.PREEMPTED, message, attempt);
    }

    /** Whether this says attempt {@code attempt} was preempted. */
    public boolean preempts(int attempt) {
      return preemptedAttempt != null && preemptedAttempt == attempt;
    }
  }

  /** Admits everything. */
  Admission ALL = job -> Verdict.ADMITTED;
}
