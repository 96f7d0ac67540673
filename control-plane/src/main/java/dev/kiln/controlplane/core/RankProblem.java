package dev.kiln.controlplane.core;

/**
 * What went wrong with a rank, typed by the shell that observed it (from a pod's container states
 * and conditions, or a local process's exit) so the core never parses messages.
 */
public enum RankProblem {
  NONE(null),
  IMAGE_PULL(Reason.IMAGE_PULL_BACK_OFF),
  CONFIG_ERROR(Reason.CONTAINER_CONFIG_ERROR),
  UNSCHEDULABLE(Reason.UNSCHEDULABLE),
  OOM_KILLED(Reason.OOM_KILLED),
  EXIT_NON_ZERO(Reason.RANK_FAILED),
  EVICTED(Reason.EVICTED),
  PREEMPTED(Reason.PREEMPTED),
  LOST(Reason.RANK_LOST);

  private final Reason reason;

  RankProblem(Reason reason) {
    this.reason = reason;
  }

  /** The condition and event reason this problem is reported with. */
  public Reason reason() {
    return reason;
  }
}
