package dev.kiln.controlplane.core;

import java.time.Instant;

/**
 * What the core knows of one rank of one attempt, as observed by a shell.
 *
 * @param started whether its process ever ran (a rank deleted before it started is recreated)
 * @param message detail for a problem: a rank's last log lines, a scheduler's or kubelet's message
 * @param deleting whether it is being torn down (a pod with a deletion timestamp)
 */
public record RankState(
    String name,
    int attempt,
    int rank,
    RankPhase phase,
    boolean ready,
    boolean started,
    Scheduling scheduling,
    RankProblem problem,
    Integer exitCode,
    String message,
    boolean deleting,
    Instant createdAt) {

  /** Whether a scheduler has placed the rank. */
  public enum Scheduling {
    WAITING,
    SCHEDULED,
    UNSCHEDULABLE
  }

  public RankState {
    problem = problem == null ? RankProblem.NONE : problem;
    scheduling = scheduling == null ? Scheduling.WAITING : scheduling;
  }

  /** Still pending or running: something to stop before a terminal phase. */
  public boolean active() {
    return !phase.finished();
  }

  /** Running or done: it got through scheduling, image pull and container start. */
  public boolean gotRunning() {
    return phase == RankPhase.RUNNING || phase == RankPhase.SUCCEEDED;
  }
}
