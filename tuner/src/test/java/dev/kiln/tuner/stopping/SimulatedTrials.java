package dev.kiln.tuner.stopping;

import dev.kiln.tuner.MetricPoint;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A fake trial runner: each trial trains one epoch per tick, checkpoints after every epoch, stops
 * at its epoch budget, and when its budget is raised resumes from its last checkpoint, never from
 * scratch. It records the first epoch each resumed run reports.
 */
final class SimulatedTrials {
  static final class Run {
    final int index;
    final Map<String, Object> parameters;
    int budget;
    int checkpoint; // last completed epoch
    TrialState state = TrialState.RUNNING;
    final List<MetricPoint> history = new ArrayList<>();
    final List<Integer> resumedFrom = new ArrayList<>();
    final List<Integer> firstEpochAfterResume = new ArrayList<>();
    private boolean justResumed;

    Run(int index, Map<String, Object> parameters, int budget) {
      this.index = index;
      this.parameters = parameters;
      this.budget = budget;
    }

    Trial toTrial() {
      return Trial.of(index, parameters, state, history);
    }
  }

  private final List<Run> runs = new ArrayList<>();
  private final BiFunction<Map<String, Object>, Integer, Double> curve;
  private final int maxEpochs;
  int epochsTrained;

  SimulatedTrials(BiFunction<Map<String, Object>, Integer, Double> curve, int maxEpochs) {
    this.curve = curve;
    this.maxEpochs = maxEpochs;
  }

  List<Run> runs() {
    return runs;
  }

  Run get(int index) {
    return runs.get(index);
  }

  void start(Map<String, Object> parameters, int budget) {
    runs.add(new Run(runs.size(), parameters, budget));
  }

  /** Raises a paused trial's budget; it resumes from its checkpoint. */
  void resume(int index, int budget) {
    Run r = runs.get(index);
    if (r.state != TrialState.PAUSED) {
      throw new IllegalStateException("trial " + index + " is " + r.state + ", not paused");
    }
    r.budget = budget;
    r.state = TrialState.RUNNING;
    r.resumedFrom.add(r.checkpoint);
    r.justResumed = true;
  }

  void stop(int index) {
    runs.get(index).state = TrialState.STOPPED;
  }

  List<Trial> trials() {
    return runs.stream().map(Run::toTrial).toList();
  }

  long running() {
    return runs.stream().filter(r -> r.state == TrialState.RUNNING).count();
  }

  /** Every running trial trains one epoch from its checkpoint; returns the trials that reported. */
  List<Run> tick() {
    List<Run> reported = new ArrayList<>();
    for (Run r : runs) {
      if (r.state != TrialState.RUNNING) {
        continue;
      }
      int epoch = r.checkpoint + 1; // resume after the checkpoint
      if (r.justResumed) {
        r.firstEpochAfterResume.add(epoch);
        r.justResumed = false;
      }
      r.history.add(new MetricPoint(epoch, curve.apply(r.parameters, epoch)));
      r.checkpoint = epoch;
      epochsTrained++;
      if (epoch >= r.budget) {
        r.state = epoch >= maxEpochs ? TrialState.COMPLETED : TrialState.PAUSED;
      }
      reported.add(r);
    }
    return reported;
  }
}
