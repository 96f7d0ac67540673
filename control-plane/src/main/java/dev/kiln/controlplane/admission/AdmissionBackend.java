package dev.kiln.controlplane.admission;

import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.QueueStatus;

/** Where admission reads the world and writes what it decided: a cluster, or this machine. */
public interface AdmissionBackend {

  /** A consistent-enough view of nodes, queues, jobs and their ranks. */
  World read();

  /** Deletes the ranks of this attempt of a preempted job, saying why where it can. */
  void evict(TrainingJob job, int attempt, String message);

  /** Writes a Queue's status (called only when it changed). */
  void writeQueueStatus(Queue queue, QueueStatus status);
}
