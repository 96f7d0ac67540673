package dev.kiln.controlplane.tuning;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.controlplane.core.StopSignal;
import dev.kiln.tuner.MetricPoint;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One trial TrainingJob as the tuner sees it, rebuilt from the trial alone: its index and
 * parameters from the annotations written when it was created, its state from its phase and
 * conditions, and the objective's per-epoch history from {@code status.metrics}.
 *
 * @param job the trial as observed
 * @param trial what the tuner knows of it
 * @param parameters its parameters as strings, as recorded
 * @param budget its {@code algorithm.epochs} now
 * @param earlyStopRequested whether the sweep asked it to stop
 */
public record TrialView(
    TrainingJob job,
    Trial trial,
    Map<String, String> parameters,
    int budget,
    boolean earlyStopRequested) {

  /** The trial's name, {@code <sweep>-<k>}. */
  public String name() {
    return job.getMetadata().getName();
  }

  /** Whether it ended with the sweep's verdict not yet written into its status. */
  public Optional<SweepAction.Verdict> pendingVerdict() {
    TrainingJobStatus s = job.getStatus();
    if (s == null || s.phase != Phase.SUCCEEDED) {
      return Optional.empty();
    }
    if (trial.state() == TrialState.FAILED) {
      return Optional.of(SweepAction.Verdict.METRICS_UNAVAILABLE);
    }
    if (trial.state() == TrialState.STOPPED
        && !Conditions.isTrue(s.conditions, Conditions.EARLY_STOPPED)) {
      return Optional.of(SweepAction.Verdict.EARLY_STOPPED);
    }
    return Optional.empty();
  }

  /** The trial's index recorded in it, or empty when it is not a trial of a sweep. */
  public static Optional<Integer> index(TrainingJob job) {
    Map<String, String> a = job.getMetadata().getAnnotations();
    String raw = a == null ? null : a.get(TrialNames.INDEX);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      int i = Integer.parseInt(raw.trim());
      return i >= 0 ? Optional.of(i) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The parameters recorded in a trial's annotation. */
  public static Map<String, String> parameters(TrainingJob job) {
    Map<String, String> a = job.getMetadata().getAnnotations();
    String raw = a == null ? null : a.get(TrialNames.PARAMETERS);
    if (raw == null) {
      return Map.of();
    }
    try {
      return Manifests.json().readValue(raw, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (java.io.IOException e) {
      return Map.of();
    }
  }

  /**
   * Reads a trial.
   *
   * @param metric the sweep's objective metric
   * @param maxEpochs the full budget (the template's epochs); trials below it pause at their rung
   */
  public static TrialView of(TrainingJob job, int index, String metric, int maxEpochs) {
    Map<String, String> parameters = parameters(job);
    TrainingJobSpec spec = job.getSpec();
    int budget =
        spec != null && spec.algorithm != null && spec.algorithm.epochs != null
            ? spec.algorithm.epochs
            : maxEpochs;
    List<MetricPoint> history = history(job.getStatus(), metric);
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    boolean stopAsked = annotations != null && annotations.containsKey(StopSignal.EARLY_STOP);
    TrialState state = state(job, history, budget, maxEpochs, stopAsked);
    Trial trial = Trial.of(index, new LinkedHashMap<>(parameters), state, history);
    return new TrialView(job, trial, parameters, budget, stopAsked);
  }

  private static TrialState state(
      TrainingJob job, List<MetricPoint> history, int budget, int maxEpochs, boolean stopAsked) {
    TrainingJobStatus s = job.getStatus();
    Phase phase = s == null ? null : s.phase;
    TrialState active = history.isEmpty() ? TrialState.PENDING : TrialState.RUNNING;
    if (phase == null) {
      return TrialState.PENDING;
    }
    switch (phase) {
      case FAILED:
        return TrialState.FAILED;
      case SUCCEEDED:
        break;
      default:
        return active;
    }
    if (promotionPending(s, budget)) {
      return active;
    }
    if (history.isEmpty()) {
      return TrialState.FAILED;
    }
    if (stopAsked || Conditions.isTrue(s.conditions, dev.kiln.api.Conditions.EARLY_STOPPED)) {
      return TrialState.STOPPED;
    }
    return budget < maxEpochs ? TrialState.PAUSED : TrialState.COMPLETED;
  }

  /** Epochs raised in the spec that the TrainingJob controller has not picked up yet. */
  private static boolean promotionPending(TrainingJobStatus s, int budget) {
    if (s.lastReconciledSpec == null) {
      return false;
    }
    TrainingJobSpec accepted = Manifests.fromJson(s.lastReconciledSpec, TrainingJobSpec.class);
    Integer epochs = accepted.algorithm == null ? null : accepted.algorithm.epochs;
    return epochs != null && epochs < budget;
  }

  private static List<MetricPoint> history(TrainingJobStatus s, String metric) {
    List<MetricPoint> out = new ArrayList<>();
    if (s == null || s.metrics == null || s.metrics.history == null) {
      return out;
    }
    for (Map<String, Double> entry : s.metrics.history) {
      Double epoch = entry.get("epoch");
      Double value = entry.get(metric);
      if (epoch != null && epoch >= 1 && value != null && Double.isFinite(value)) {
        out.add(new MetricPoint(epoch.intValue(), value));
      }
    }
    return out;
  }

  /** The value the sweep ranks this trial by, if it has one. */
  public OptionalDouble objective() {
    return trial.observedValue();
  }
}
