package dev.kiln.controlplane.core;

import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.status.TrainingJobStatus;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Keeps a job's per-epoch metrics in its status: the newest {@value
 * TrainingJobStatus.Metrics#MAX_HISTORY} epochs in epoch order, the latest epoch's values, and the
 * headline metric for printer columns. Idempotent per (attempt, epoch); shared by both modes.
 */
public final class MetricsBook {
  /** The key holding the epoch in each history entry. */
  public static final String EPOCH = "epoch";

  /** Headline metrics, best first, when the job names none. */
  private static final List<String> PREFERRED =
      List.of("val_accuracy", "accuracy", "val_loss", "loss");

  /** What became of one report. */
  public enum Outcome {
    RECORDED,
    /** The same values for the same epoch were already there. */
    DUPLICATE,
    /** From an attempt older than the one in force: its ranks are being stopped. */
    STALE
  }

  /** One epoch's values. */
  public record EpochValues(int epoch, Map<String, Double> values) {}

  private MetricsBook() {}

  public static Outcome record(
      TrainingJobStatus status, List<MetricRule> rules, int attempt, EpochValues report) {
    if (status.attempt != null && attempt < status.attempt) {
      return Outcome.STALE;
    }
    Map<String, Double> entry = new LinkedHashMap<>();
    entry.put(EPOCH, (double) report.epoch());
    // Sorted, so a report's entry does not depend on its map's order; JSON has no NaN.
    new TreeMap<>(report.values())
        .forEach(
            (k, v) -> {
              if (v != null && Double.isFinite(v) && !EPOCH.equals(k)) {
                entry.put(k, v);
              }
            });
    if (status.metrics == null) {
      status.metrics = new TrainingJobStatus.Metrics();
    }
    List<Map<String, Double>> history = status.metrics.history;
    int at = 0;
    while (at < history.size() && epochOf(history.get(at)) < report.epoch()) {
      at++;
    }
    if (at < history.size() && epochOf(history.get(at)) == report.epoch()) {
      if (history.get(at).equals(entry)) {
        return Outcome.DUPLICATE;
      }
      history.set(at, entry);
    } else {
      history.add(at, entry);
    }
    while (history.size() > TrainingJobStatus.Metrics.MAX_HISTORY) {
      history.remove(0);
    }
    status.metrics.latest = new LinkedHashMap<>(history.get(history.size() - 1));
    status.latestMetric = headline(rules, status.metrics.latest);
    return Outcome.RECORDED;
  }

  /** Records several epochs; returns whether anything changed. */
  public static boolean recordAll(
      TrainingJobStatus status, List<MetricRule> rules, int attempt, List<EpochValues> reports) {
    boolean changed = false;
    for (EpochValues report : reports) {
      changed |= record(status, rules, attempt, report) == Outcome.RECORDED;
    }
    return changed;
  }

  /** {@code name=value} of the job's headline metric, e.g. {@code val_accuracy=0.9512}. */
  static String headline(List<MetricRule> rules, Map<String, Double> latest) {
    List<String> candidates = new ArrayList<>();
    if (rules != null) {
      rules.stream().map(r -> r.name).filter(Objects::nonNull).forEach(candidates::add);
    }
    candidates.addAll(PREFERRED);
    latest.keySet().stream().filter(k -> !EPOCH.equals(k)).forEach(candidates::add);
    return candidates.stream()
        .filter(latest::containsKey)
        .findFirst()
        .map(k -> k + "=" + format(latest.get(k)))
        .orElse(null);
  }

  private static String format(double v) {
    return BigDecimal.valueOf(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static int epochOf(Map<String, Double> entry) {
    Double e = entry.get(EPOCH);
    return e == null ? Integer.MIN_VALUE : e.intValue();
  }
}
