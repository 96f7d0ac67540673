package dev.kiln.scheduler.core;

/**
 * A whole running gang evicted so that a higher-priority gang fits. The control plane deletes its
 * pods and requeues the job; an eviction is not a restart.
 */
public record Preemption(RunningGang victim, Gang preemptor) {

  /** The condition reason the control plane records on the evicted job. */
  public static final String REASON = "Preempted";

  public String reason() {
    return REASON;
  }

  public String message() {
    return "preempted by "
        + preemptor.job()
        + " (priority "
        + preemptor.priority()
        + " > "
        + victim.gang().priority()
        + ")";
  }
}
