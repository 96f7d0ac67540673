package dev.kiln.controlplane.local;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.MetricsStore;
import dev.kiln.controlplane.core.StopSignal;
import java.util.Optional;

/**
 * Keeps reported metrics in the status of a job in the local store: applies {@link MetricsBook} to
 * the newest status and writes it under the read's resourceVersion, retrying on a conflict, so a
 * concurrent write of the reconcile loop is never lost.
 */
public final class LocalMetricsStore implements MetricsStore {
  static final int ATTEMPTS = 8;

  private final LocalStore store;

  public LocalMetricsStore(LocalStore store) {
    this.store = store;
  }

  @Override
  public Optional<Result> record(String jobUid, int attempt, MetricsBook.EpochValues values) {
    for (int i = 0; i < ATTEMPTS; i++) {
      Optional<TrainingJob> found = store.findByUid(TrainingJob.class, jobUid);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      TrainingJob job = found.get();
      TrainingJobStatus status =
          job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
      MetricsBook.Outcome outcome =
          MetricsBook.record(status, job.getSpec().metrics, attempt, values);
      if (outcome != MetricsBook.Outcome.RECORDED) {
        return Optional.of(new Result(outcome, StopSignal.of(job)));
      }
      job.setStatus(status);
      try {
        TrainingJob written = store.updateStatus(job);
        return Optional.of(new Result(outcome, StopSignal.of(written)));
      } catch (LocalStore.StoreException e) {
        if (e.reason() == LocalStore.Reason.NOT_FOUND) {
          return Optional.empty();
        }
        if (e.reason() != LocalStore.Reason.CONFLICT) {
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "the status of job " + jobUid + " kept changing; metrics not recorded");
  }
}
