package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.cli.local.LocalClient;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/** TrainingJobs in local mode, through the local control plane's {@code LocalApi}. */
final class LocalJobs implements JobBackend {
  private final LocalClient client;

  LocalJobs(LocalClient client) {
    this.client = client;
  }

  @Override
  public String where() {
    return "local mode (" + client.config().address() + ")";
  }

  @Override
  public TrainingJob apply(TrainingJob job) {
    return client.apply(job, TrainingJob.class);
  }

  @Override
  public Optional<TrainingJob> get(String namespace, String name) {
    return client.get(TrainingJob.class, namespace, name);
  }

  @Override
  public List<TrainingJob> list(String namespace) {
    return client.list(TrainingJob.class, namespace);
  }

  @Override
  public boolean delete(String namespace, String name) {
    return client.delete(TrainingJob.class, namespace, name);
  }

  @Override
  public List<JobEvent> events(TrainingJob job) {
    return client
        .events(job.getMetadata().getNamespace(), job.getMetadata().getName())
        .getEventsList()
        .stream()
        .map(e -> new JobEvent(e.getTime(), e.getType(), e.getReason(), e.getMessage()))
        .toList();
  }

  @Override
  public void logs(TrainingJob job, int rank, int attempt, boolean follow, OutputStream out) {
    client.logs(
        job.getMetadata().getNamespace(), job.getMetadata().getName(), rank, attempt, follow, out);
  }

  @Override
  public boolean localWorkdirs() {
    return true;
  }

  @Override
  public void close() {
    client.close();
  }
}
