package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code kiln train} finds TrainingJobs: the local control plane, or a cluster's API server
 * through the user's kubeconfig. Both speak the same TrainingJob.
 */
public interface JobBackend extends AutoCloseable {

  /** One event of a job. */
  record JobEvent(String time, String type, String reason, String message) {}

  /** Where this backend is, for messages ({@code local mode}, {@code context prod}). */
  String where();

  /** Creates or updates the job's spec, labels and annotations; returns it as stored. */
  TrainingJob apply(TrainingJob job);

  Optional<TrainingJob> get(String namespace, String name);

  /** The jobs of one namespace, or every namespace when it is null. */
  List<TrainingJob> list(String namespace);

  /** Deletes the job and its ranks; false when there was none. */
  boolean delete(String namespace, String name);

  List<JobEvent> events(TrainingJob job);

  /** Copies a rank's log; with {@code follow}, until the rank ends. {@code attempt} 0: newest. */
  void logs(TrainingJob job, int rank, int attempt, boolean follow, OutputStream out);

  /** Whether a container job's ranks start in the folder its YAML came from. */
  boolean localWorkdirs();

  @Override
  void close();
}
