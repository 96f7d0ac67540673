package dev.kiln.controlplane.tuning;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.StopSignal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A fake of what the shells do: runs a decision's actions over an in-memory set of trials, keeps
 * the sweep's status, and plays the TrainingJob controller (reports, finishes, failures).
 */
final class SweepWorld {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final TuningJob sweep;
  final Map<String, TrainingJob> trials = new TreeMap<>();
  final List<SweepAction> log = new ArrayList<>();
  TuningJobCore core = new TuningJobCore();
  SweepDecision last;

  SweepWorld(String yaml) {
    sweep = Manifests.parse(yaml, TuningJob.class);
    sweep.getMetadata().setNamespace("ml");
    sweep.getMetadata().setUid(UUID.randomUUID().toString());
    sweep.getMetadata().setGeneration(1L);
    sweep.setStatus(null);
  }

  static String yaml(String strategy, String stopping, int maxTrials, int parallel, int epochs) {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: TuningJob
        metadata: {name: s}
        spec:
          objective: {metric: val_accuracy, goal: maximize}
          strategy: {type: %s, seed: 3}
          earlyStopping: %s
          parameters:
            - {name: optimizer.learningRate, type: double, min: 0.0001, max: 0.1, scale: log}
            - {name: model.layers.0.dense, type: int, min: 16, max: 128}
          maxTrials: %d
          parallelTrials: %d
          maxFailedTrials: 2
          trialTemplate:
            spec:
              algorithm:
                model:
                  layers:
                    - {dense: 32, activation: relu}
                    - {dense: 10, activation: softmax}
                loss: cross_entropy
                epochs: %d
              inputs:
                train: {uri: "s3://datasets/digits/train.csv", label: label}
              output: {uri: "s3://models/s/"}
              ttlSecondsAfterFinished: 60
        """
        .formatted(strategy, stopping, maxTrials, parallel, epochs);
  }

  /** One reconcile, its actions applied and its status kept. */
  SweepDecision step() {
    last = core.reconcile(sweep, List.copyOf(trials.values()), NOW);
    for (SweepAction a : last.actions()) {
      log.add(a);
      apply(a);
    }
    sweep.setStatus(last.status());
    return last;
  }

  private void apply(SweepAction action) {
    if (action instanceof SweepAction.CreateTrial c) {
      TrainingJob job = Manifests.copy(c.job());
      job.getMetadata().setUid(UUID.randomUUID().toString());
      job.getMetadata().setGeneration(1L);
      trials.putIfAbsent(job.getMetadata().getName(), job);
    } else if (action instanceof SweepAction.RaiseEpochs r) {
      trials.get(r.trial()).getSpec().algorithm.epochs = r.epochs();
    } else if (action instanceof SweepAction.EarlyStop s) {
      Map<String, String> a =
          new LinkedHashMap<>(trials.get(s.trial()).getMetadata().getAnnotations());
      a.putIfAbsent(StopSignal.EARLY_STOP, s.reason());
      trials.get(s.trial()).getMetadata().setAnnotations(a);
    } else if (action instanceof SweepAction.MarkTrial m) {
      TrainingJob job = trials.get(m.trial());
      TrainingJobStatus s = TrialVerdicts.apply(job, m.verdict(), m.message(), NOW);
      if (s != null) {
        job.setStatus(s);
      }
    }
  }

  TrainingJob trial(int k) {
    return trials.get("s-" + k);
  }

  /** The trial runs (the TrainingJob controller accepted its spec as it is now). */
  void run(int k) {
    TrainingJob job = trial(k);
    TrainingJobStatus s = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    s.phase = Phase.RUNNING;
    s.lastReconciledSpec = Manifests.toJson(job.getSpec());
    job.setStatus(s);
  }

  void report(int k, int epoch, double value) {
    run(k);
    MetricsBook.record(
        trial(k).getStatus(),
        null,
        1,
        new MetricsBook.EpochValues(epoch, Map.of("val_accuracy", value, "loss", 1 - value)));
  }

  void succeed(int k) {
    if (trial(k).getStatus() == null) {
      run(k);
    }
    trial(k).getStatus().phase = Phase.SUCCEEDED;
  }

  void fail(int k) {
    run(k);
    trial(k).getStatus().phase = Phase.FAILED;
  }

  /** Reports epochs 1..epochs with the value, then succeeds. */
  void complete(int k, int epochs, double value) {
    for (int e = 1; e <= epochs; e++) {
      report(k, e, value);
    }
    succeed(k);
  }

  List<SweepAction> actionsOf(Class<? extends SweepAction> type) {
    return last.actions().stream().filter(type::isInstance).toList();
  }
}
