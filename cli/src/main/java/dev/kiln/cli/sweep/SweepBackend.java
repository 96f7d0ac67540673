package dev.kiln.cli.sweep;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code kiln sweep} finds TuningJobs and their trials: the local control plane, or a
 * cluster's API server through the user's kubeconfig.
 */
public interface SweepBackend extends AutoCloseable {
  /** On a TuningJob: stop the sweep; the value says why (the control plane's TrialNames.STOP). */
  String STOP_ANNOTATION = "kiln.dev/stop";

  /** On every trial: its sweep's name. */
  String LABEL_SWEEP = "kiln.dev/tuningjob";

  /** Where this backend is, for messages. */
  String where();

  /** Creates the sweep or updates its spec, labels and annotations; returns it as stored. */
  TuningJob apply(TuningJob sweep);

  Optional<TuningJob> get(String namespace, String name);

  /** The sweeps of one namespace, or of every namespace when it is null. */
  List<TuningJob> list(String namespace);

  /** The sweep's trial TrainingJobs. */
  List<TrainingJob> trials(String namespace, String sweep);

  /** Asks the control plane to stop the sweep; false when there is none. */
  boolean requestStop(String namespace, String name, String why);

  @Override
  void close();
}
