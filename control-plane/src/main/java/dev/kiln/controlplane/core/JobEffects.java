package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;

/** What the core may ask of a job itself, beyond its ranks: events and deletion. */
public interface JobEffects {

  /** Records an event; failing to record one never fails a reconcile. */
  void record(TrainingJob job, Action.EventType type, Reason reason, String message);

  /** Deletes the job and everything it owns. */
  void delete(TrainingJob job);
}
