package dev.kiln.cli.sweep;

import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.api.status.TuningJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How sweeps and their trials read on screen: shared by list, get, best and the live view. */
final class SweepText {
  private SweepText() {}

  static String phase(TuningJob sweep) {
    TuningJobStatus s = sweep.getStatus();
    return s == null || s.phase == null ? "Pending" : s.phase.display();
  }

  static boolean finished(TuningJob sweep) {
    return sweep.getStatus() != null
        && sweep.getStatus().phase != null
        && sweep.getStatus().phase.isTerminal();
  }

  static String metric(TuningJob sweep) {
    return sweep.getSpec().objective.metric;
  }

  static int maxTrials(TuningJob sweep) {
    return sweep.getSpec().maxTrials == null ? 16 : sweep.getSpec().maxTrials;
  }

  /** {@code running 4, succeeded 6, stopped 3, failed 0}. */
  static String counts(TuningJob sweep) {
    TuningJobStatus.TrialCounts c =
        sweep.getStatus() == null || sweep.getStatus().trials == null
            ? new TuningJobStatus.TrialCounts()
            : sweep.getStatus().trials;
    return "running "
        + c.running
        + ", succeeded "
        + c.succeeded
        + ", stopped "
        + c.stopped
        + ", failed "
        + c.failed;
  }

  /** Trials finished, out of the sweep's maximum. */
  static int done(TuningJob sweep) {
    TuningJobStatus.TrialCounts c = sweep.getStatus() == null ? null : sweep.getStatus().trials;
    return c == null ? 0 : c.total - c.running;
  }

  /** {@code [#######-------------] 5/16}. */
  static String bar(TuningJob sweep, int width) {
    int max = maxTrials(sweep);
    int done = Math.min(done(sweep), max);
    int filled = max == 0 ? width : done * width / max;
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + done + "/" + max;
  }

  /** {@code digits-sweep-7 val_accuracy=0.9810}, or {@code -}. */
  static String best(TuningJob sweep) {
    TuningJobStatus.BestTrial b = sweep.getStatus() == null ? null : sweep.getStatus().bestTrial;
    if (b == null || b.objective == null) {
      return "-";
    }
    return b.name + " " + metric(sweep) + "=" + number(b.objective);
  }

  static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Why the sweep ended as it did (its Ready or Degraded condition). */
  static String outcome(TuningJob sweep) {
    if (sweep.getStatus() == null) {
      return "";
    }
    String type =
        sweep.getStatus().phase == Phase.SUCCEEDED ? Conditions.READY : Conditions.DEGRADED;
    Optional<Condition> c = Conditions.find(sweep.getStatus().conditions, type);
    return c.map(x -> x.getReason() + (x.getMessage() == null ? "" : ": " + x.getMessage()))
        .orElse("");
  }

  /** Trials in index order. */
  static List<TrainingJob> byIndex(List<TrainingJob> trials) {
    List<TrainingJob> sorted = new ArrayList<>(trials);
    sorted.sort(Comparator.comparingInt(SweepText::index));
    return sorted;
  }

  static int index(TrainingJob trial) {
    Map<String, String> a = trial.getMetadata().getAnnotations();
    try {
      return Integer.parseInt(a == null ? "" : a.getOrDefault("kiln.dev/trial-index", ""));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** The trial's parameters as recorded when the sweep created it. */
  static Map<String, String> parameters(TrainingJob trial) {
    Map<String, String> a = trial.getMetadata().getAnnotations();
    String raw = a == null ? null : a.get("kiln.dev/trial-parameters");
    if (raw == null) {
      return trial.getSpec().hyperparameters == null ? Map.of() : trial.getSpec().hyperparameters;
    }
    try {
      return Manifests.json()
          .readValue(
              raw,
              new com.fasterxml.jackson.core.type.TypeReference<
                  LinkedHashMap<String, String>>() {});
    } catch (java.io.IOException e) {
      return Map.of();
    }
  }

  /** {@code lr=0.0031 dense=128}: the last segment of each parameter's path. */
  static String shortParameters(TrainingJob trial) {
    List<String> parts = new ArrayList<>();
    parameters(trial)
        .forEach((k, v) -> parts.add(k.substring(k.lastIndexOf('.') + 1) + "=" + shortValue(v)));
    return String.join(" ", parts);
  }

  private static String shortValue(String v) {
    try {
      double d = Double.parseDouble(v);
      if (d == Math.rint(d) && Math.abs(d) < 1e9) {
        return Long.toString((long) d);
      }
      return String.format(Locale.ROOT, "%.3g", d);
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /** The trial's phase, with EarlyStopped and MetricsUnavailable made visible. */
  static String trialPhase(TrainingJob trial) {
    TrainingJobStatus s = trial.getStatus();
    if (s == null || s.phase == null) {
      return "Pending";
    }
    if (Conditions.isTrue(s.conditions, Conditions.EARLY_STOPPED)) {
      return "EarlyStopped";
    }
    if (s.phase == Phase.FAILED) {
      return Conditions.find(s.conditions, Conditions.DEGRADED)
          .map(c -> "Failed (" + c.getReason() + ")")
          .orElse("Failed");
    }
    return s.phase.display();
  }

  /** {@code 3/9}: the last epoch reported, of the trial's budget. */
  static String epoch(TrainingJob trial) {
    Double e = latest(trial, "epoch");
    Integer budget = trial.getSpec().algorithm == null ? null : trial.getSpec().algorithm.epochs;
    String done = e == null ? "-" : Long.toString(e.longValue());
    return budget == null ? done : done + "/" + budget;
  }

  static Double latest(TrainingJob trial, String metric) {
    TrainingJobStatus s = trial.getStatus();
    if (s == null || s.metrics == null || s.metrics.latest == null) {
      return null;
    }
    return s.metrics.latest.get(metric);
  }

  /** A table row: trial, phase, epoch, latest objective, parameters. */
  static String[] row(TrainingJob trial, String metric) {
    Double v = latest(trial, metric);
    return new String[] {
      trial.getMetadata().getName(),
      trialPhase(trial),
      epoch(trial),
      v == null ? "-" : number(v),
      shortParameters(trial)
    };
  }

  static String[] header(String metric) {
    return new String[] {"TRIAL", "PHASE", "EPOCH", metric.toUpperCase(Locale.ROOT), "PARAMETERS"};
  }
}
