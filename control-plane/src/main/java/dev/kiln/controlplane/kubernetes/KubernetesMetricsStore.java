package dev.kiln.controlplane.kubernetes;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.MetricsStore;
import dev.kiln.controlplane.core.StopSignal;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps reported metrics in the TrainingJob's status: reads the newest job, applies {@link
 * MetricsBook}, and writes the status subresource under the read's resourceVersion, retrying on a
 * conflict, so a concurrent write (the reconciler's, another report's) is never lost.
 */
public class KubernetesMetricsStore implements MetricsStore {
  static final int ATTEMPTS = 8;

  private final KubernetesClient client;
  private final JobDirectory directory;

  public KubernetesMetricsStore(KubernetesClient client, JobDirectory directory) {
    this.client = client;
    this.directory = directory;
  }

  @Override
  public Optional<Result> record(String jobUid, int attempt, MetricsBook.EpochValues values) {
    Optional<ResourceID> where = directory.find(jobUid).or(() -> search(jobUid));
    if (where.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      TrainingJob job = get(where.get());
      if (job == null || !jobUid.equals(job.getMetadata().getUid())) {
        directory.forget(jobUid);
        return Optional.empty();
      }
      TrainingJobStatus status =
          job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
      MetricsBook.Outcome outcome =
          MetricsBook.record(status, job.getSpec().metrics, attempt, values);
      if (outcome != MetricsBook.Outcome.RECORDED) {
        return Optional.of(new Result(outcome, StopSignal.of(job)));
      }
      job.setStatus(status);
      try {
        // Replaces the status subresource (only) under the read's resourceVersion: a conflict
        // means someone wrote first; read again and retry. A merge patch would need no version
        // but could not replace the history list reliably everywhere.
        TrainingJob written = client.resource(job).updateStatus();
        return Optional.of(new Result(outcome, StopSignal.of(written)));
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "the status of job " + jobUid + " kept changing; metrics not recorded");
  }

  private TrainingJob get(ResourceID id) {
    return client
        .resources(TrainingJob.class)
        .inNamespace(id.getNamespace().orElseThrow())
        .withName(id.getName())
        .get();
  }

  private Optional<ResourceID> search(String uid) {
    return client.resources(TrainingJob.class).inAnyNamespace().list().getItems().stream()
        .filter(j -> Objects.equals(uid, j.getMetadata().getUid()))
        .findFirst()
        .map(
            j -> {
              directory.remember(j);
              return ResourceID.fromResource(j);
            });
  }
}
