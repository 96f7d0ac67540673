package dev.kiln.scheduler.core;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one cycle: gangs to start (with a node per rank), gangs to evict first, and why
 * every other gang waits. Apply evictions before binding admissions: admissions count on them.
 */
public record SchedulingDecision(
    List<Admission> admitted, List<Preemption> preempted, List<PendingGang> pending) {

  public SchedulingDecision {
    admitted = List.copyOf(admitted);
    preempted = List.copyOf(preempted);
    pending = List.copyOf(pending);
  }

  public Optional<Admission> admission(JobId job) {
    return admitted.stream().filter(a -> a.gang().job().equals(job)).findFirst();
  }

  public Optional<PendingGang> pending(JobId job) {
    return pending.stream().filter(p -> p.gang().job().equals(job)).findFirst();
  }
}
