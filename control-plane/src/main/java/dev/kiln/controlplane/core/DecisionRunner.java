package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;

/** Carries out a decision's actions through the ports, in order; shared by both shells. */
public final class DecisionRunner {
  private final Workloads workloads;
  private final JobEffects effects;

  public DecisionRunner(Workloads workloads, JobEffects effects) {
    this.workloads = workloads;
    this.effects = effects;
  }

  public void run(TrainingJob job, Decision decision) {
    for (Action action : decision.actions()) {
      // Java 17: no pattern matching for switch yet.
      if (action instanceof Action.Prepare p) {
        workloads.prepare(job, p.specJson(), p.digest());
      } else if (action instanceof Action.StartRanks s) {
        workloads.start(job, s.spec(), s.attempt(), s.ranks());
      } else if (action instanceof Action.StopRanks s) {
        workloads.stop(job, s.names());
      } else if (action instanceof Action.RecordEvent e) {
        effects.record(job, e.type(), e.reason(), e.message());
      } else if (action instanceof Action.DeleteJob) {
        effects.delete(job);
      }
    }
  }
}
