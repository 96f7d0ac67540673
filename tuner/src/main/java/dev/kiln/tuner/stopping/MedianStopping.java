package dev.kiln.tuner.stopping;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.MetricPoint;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median stopping rule (Golovin et al., 2017): after epoch t ≥ minEpochs, stop a trial whose
 * best value so far is strictly worse than the median, over the other trials that have reached
 * epoch t, of their running averages up to epoch t. Needs at least {@value #MIN_TRIALS} such trials
 * to judge.
 */
final class MedianStopping implements EarlyStopping {
  static final int MIN_TRIALS = 3;
  private final Goal goal;
  private final int minEpochs;
  private final int maxEpochs;

  MedianStopping(Goal goal, int minEpochs, int maxEpochs) {
    this.goal = goal;
    this.minEpochs = minEpochs;
    this.maxEpochs = maxEpochs;
  }

  @Override
  public String name() {
    return "median";
  }

  @Override
  public int maxEpochs() {
    return maxEpochs;
  }

  @Override
  public int initialEpochs(int trialIndex) {
    return maxEpochs;
  }

  @Override
  public Decision decide(Trial trial, List<Trial> trials) {
    int t = trial.lastEpoch();
    if (t < minEpochs || t >= maxEpochs) {
      return Decision.CONTINUE;
    }
    List<Double> averages = new ArrayList<>();
    for (Trial other : trials) {
      if (other.index() != trial.index()
          && other.state() != TrialState.FAILED
          && other.lastEpoch() >= t) {
        averages.add(runningAverage(other, t));
      }
    }
    if (averages.size() < MIN_TRIALS) {
      return Decision.CONTINUE;
    }
    Collections.sort(averages);
    int n = averages.size();
    double median =
        n % 2 == 1 ? averages.get(n / 2) : 0.5 * (averages.get(n / 2 - 1) + averages.get(n / 2));
    double best = Double.POSITIVE_INFINITY;
    for (MetricPoint p : trial.history()) {
      if (p.epoch() <= t) {
        best = Math.min(best, goal.toLoss(p.value()));
      }
    }
    return best > median ? Decision.STOP : Decision.CONTINUE;
  }

  private double runningAverage(Trial trial, int epoch) {
    double sum = 0;
    int count = 0;
    for (MetricPoint p : trial.history()) {
      if (p.epoch() <= epoch) {
        sum += goal.toLoss(p.value());
        count++;
      }
    }
    return sum / count;
  }

  @Override
  public List<Promotion> promotions(List<Trial> trials, int slots) {
    return List.of();
  }
}
