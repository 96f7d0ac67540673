package dev.kiln.controlplane.tuning;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.TuningJobStatus;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A sweep's trials as observed, by index, with the indices handed out so far. An index below the
 * high-water mark without a trial is a trial deleted by hand: it is counted as failed, never waited
 * on.
 */
final class SweepTrials {
  private final TreeMap<Integer, TrialView> byIndex = new TreeMap<>();
  private final List<Trial> added = new ArrayList<>();
  private int highWater;

  /** Reads the sweep's trials: its children that carry a trial index. */
  static SweepTrials read(TuningJob sweep, List<TrainingJob> observed, SweepSetup setup) {
    SweepTrials t = new SweepTrials();
    String uid = sweep.getMetadata().getUid();
    for (TrainingJob job : observed) {
      if (!ownedBy(job, uid)) {
        continue;
      }
      TrialView.index(job)
          .ifPresent(
              i -> t.byIndex.put(i, TrialView.of(job, i, setup.metric(), setup.maxEpochs())));
    }
    TuningJobStatus s = sweep.getStatus();
    int recorded = s == null || s.trials == null ? 0 : s.trials.total;
    t.highWater = Math.max(recorded, t.byIndex.isEmpty() ? 0 : t.byIndex.lastKey() + 1);
    return t;
  }

  private static boolean ownedBy(TrainingJob job, String uid) {
    var refs = job.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> Objects.equals(uid, r.getUid()));
  }

  List<TrialView> views() {
    return List.copyOf(byIndex.values());
  }

  TrialView view(int index) {
    return byIndex.get(index);
  }

  /** Every trial the tuner should know, including ones created or promoted in this decision. */
  List<Trial> trials() {
    Map<Integer, Trial> all = new TreeMap<>();
    byIndex.forEach((i, v) -> all.put(i, v.trial()));
    added.forEach(t -> all.put(t.index(), t));
    return List.copyOf(all.values());
  }

  /** Records what this decision does to a trial (created, promoted), for later steps and counts. */
  void update(Trial trial) {
    added.add(trial);
    highWater = Math.max(highWater, trial.index() + 1);
  }

  int highWater() {
    return highWater;
  }

  /** Indices handed out whose trial is gone. */
  int lost() {
    int seen = (int) byIndex.keySet().stream().filter(i -> i < highWater).count();
    int created = (int) added.stream().filter(t -> !byIndex.containsKey(t.index())).count();
    return highWater - seen - created;
  }

  int count(TrialState... states) {
    List<TrialState> wanted = List.of(states);
    return (int) trials().stream().filter(t -> wanted.contains(t.state())).count();
  }

  int active() {
    return count(TrialState.PENDING, TrialState.RUNNING);
  }

  /** Failed trials, lost ones included. */
  int failed() {
    return count(TrialState.FAILED) + lost();
  }

  /** The counts for status; paused trials count as stopped until promoted. */
  TuningJobStatus.TrialCounts counts() {
    TuningJobStatus.TrialCounts c = new TuningJobStatus.TrialCounts();
    c.running = active();
    c.succeeded = count(TrialState.COMPLETED);
    c.stopped = count(TrialState.STOPPED, TrialState.PAUSED);
    c.failed = failed();
    c.total = highWater;
    return c;
  }

  /** The best trial with an objective, or null; ties go to the lower index. */
  TuningJobStatus.BestTrial best(dev.kiln.tuner.Goal goal) {
    TrialView best = null;
    double bestValue = 0;
    for (TrialView v : byIndex.values()) {
      OptionalDouble value = v.objective();
      if (value.isPresent() && (best == null || goal.isBetter(value.getAsDouble(), bestValue))) {
        best = v;
        bestValue = value.getAsDouble();
      }
    }
    if (best == null) {
      return null;
    }
    TuningJobStatus.BestTrial b = new TuningJobStatus.BestTrial();
    b.name = best.name();
    b.parameters = new TreeMap<>(best.parameters());
    b.objective = bestValue;
    return b;
  }
}
