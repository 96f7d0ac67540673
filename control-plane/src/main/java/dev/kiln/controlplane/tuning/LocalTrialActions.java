package dev.kiln.controlplane.tuning;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.StopSignal;
import dev.kiln.controlplane.local.JobEvents;
import dev.kiln.controlplane.local.LocalStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a sweep's actions against the local store, each one idempotent. */
final class LocalTrialActions {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTrialActions.class);

  private final LocalStore store;
  private final JobEvents events;
  private final TuningJob sweep;
  private final Clock clock;

  LocalTrialActions(LocalStore store, JobEvents events, TuningJob sweep, Clock clock) {
    this.store = store;
    this.events = events;
    this.sweep = sweep;
    this.clock = clock;
  }

  void run(SweepAction action) {
    if (action instanceof SweepAction.CreateTrial c) {
      create(c);
    } else if (action instanceof SweepAction.RaiseEpochs r) {
      raise(r);
    } else if (action instanceof SweepAction.EarlyStop s) {
      earlyStop(s);
    } else if (action instanceof SweepAction.MarkTrial m) {
      mark(m);
    } else if (action instanceof SweepAction.Event e) {
      event(e);
    }
  }

  private void create(SweepAction.CreateTrial c) {
    try {
      store.create(c.job());
      LOG.info("created trial {}", c.job().getMetadata().getName());
    } catch (LocalStore.StoreException e) {
      if (e.reason() != LocalStore.Reason.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  private TrainingJob trial(String name) {
    return store
        .get(TrainingJob.class, sweep.getMetadata().getNamespace(), name)
        .orElseThrow(
            () -> new LocalStore.StoreException(LocalStore.Reason.NOT_FOUND, name + " is gone"));
  }

  private void raise(SweepAction.RaiseEpochs r) {
    TrainingJob job = trial(r.trial());
    if (job.getSpec().algorithm == null || job.getSpec().algorithm.epochs >= r.epochs()) {
      return;
    }
    job.getSpec().algorithm.epochs = r.epochs();
    store.apply(job);
    LOG.info("promoted trial {} to {} epochs", r.trial(), r.epochs());
  }

  private void earlyStop(SweepAction.EarlyStop s) {
    TrainingJob job = trial(s.trial());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (job.getMetadata().getAnnotations() != null) {
      annotations.putAll(job.getMetadata().getAnnotations());
    }
    if (annotations.putIfAbsent(StopSignal.EARLY_STOP, s.reason()) != null) {
      return;
    }
    job.getMetadata().setAnnotations(annotations);
    store.apply(job);
    LOG.info("asked trial {} to stop: {}", s.trial(), s.reason());
  }

  private void mark(SweepAction.MarkTrial m) {
    TrainingJob job = trial(m.trial());
    TrainingJobStatus status = TrialVerdicts.apply(job, m.verdict(), m.message(), clock.instant());
    if (status != null) {
      job.setStatus(status);
      store.updateStatus(job);
    }
  }

  private void event(SweepAction.Event e) {
    events.append(
        sweep.getMetadata().getUid(),
        e.warning() ? "Warning" : "Normal",
        e.reason().text(),
        e.message());
  }
}
