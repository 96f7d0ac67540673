package dev.kiln.controlplane.local;

import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.core.Action;
import dev.kiln.controlplane.core.JobEffects;
import dev.kiln.controlplane.core.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Events into the job's event file; deleting a job from the store (its ranks follow). */
public final class LocalJobEffects implements JobEffects {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobEffects.class);

  private final LocalStore store;
  private final JobEvents events;

  public LocalJobEffects(LocalStore store, JobEvents events) {
    this.store = store;
    this.events = events;
  }

  @Override
  public void record(TrainingJob job, Action.EventType type, Reason reason, String message) {
    String where = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    if (type == Action.EventType.Warning) {
      LOG.warn("{} {}: {}", where, reason, message);
    } else {
      LOG.info("{} {}: {}", where, reason, message);
    }
    try {
      events.append(job.getMetadata().getUid(), type.name(), reason.text(), message);
    } catch (RuntimeException e) {
      // Events are informative; a reconcile never fails for one.
      LOG.warn("cannot record event {} of {}: {}", reason, where, e.getMessage());
    }
  }

  @Override
  public void delete(TrainingJob job) {
    store.delete(TrainingJob.class, job.getMetadata().getNamespace(), job.getMetadata().getName());
  }
}
