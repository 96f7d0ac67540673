package dev.kiln.controlplane.core;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import java.util.List;

/**
 * The port through which the core's decisions reach ranks: pods in cluster mode, local processes in
 * local mode. Every method is idempotent.
 */
public interface Workloads {

  /** The ranks of every attempt of the job and whether shared resources are prepared. */
  Observed observe(TrainingJob job);

  /** Creates or updates what ranks share (spec file, network identity, credentials). */
  void prepare(TrainingJob job, String specJson, String digest);

  /** Starts these ranks of an attempt unless they exist. */
  void start(TrainingJob job, TrainingJobSpec spec, int attempt, List<Integer> ranks);

  /** Stops and removes these ranks, by name. */
  void stop(TrainingJob job, List<String> rankNames);
}
