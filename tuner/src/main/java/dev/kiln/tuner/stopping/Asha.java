package dev.kiln.tuner.stopping;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Asynchronous successive halving (Li et al., 2020), promotion variant. Rungs are at r, rη, rη²,
 * ... below the full budget R, and R itself. A trial runs to the budget of its rung and pauses; a
 * paused trial at rung k is promoted to rung k + 1 when its value at rung k is in the top ⌊n_k/η⌋
 * of the n_k trials that have reached rung k. Promotions from higher rungs come first.
 */
final class Asha implements EarlyStopping {
  private final Goal goal;
  private final int[] rungs;
  private final int eta;

  Asha(Goal goal, int[] rungs, int eta) {
    this.goal = goal;
    this.rungs = rungs.clone();
    this.eta = eta;
  }

  /**
   * The rung budgets for minimum r, factor η and maximum R: r·η^k for k < max(1, ⌊log_η(R/r)⌋),
   * then R (just R when r = R).
   */
  static int[] rungs(int r, int eta, int maxEpochs) {
    if (r >= maxEpochs) {
      return new int[] {maxEpochs};
    }
    int levels = 0;
    for (long v = r; v * eta <= maxEpochs; v *= eta) {
      levels++;
    }
    levels = Math.max(1, levels);
    int[] out = new int[levels + 1];
    long v = r;
    for (int k = 0; k < levels; k++, v *= eta) {
      out[k] = (int) v;
    }
    out[levels] = maxEpochs;
    return out;
  }

  int[] rungs() {
    return rungs.clone();
  }

  @Override
  public String name() {
    return "asha";
  }

  @Override
  public int maxEpochs() {
    return rungs[rungs.length - 1];
  }

  @Override
  public int initialEpochs(int trialIndex) {
    return rungs[0];
  }

  /** A trial runs to its budget and pauses there; nothing is cut short. */
  @Override
  public Decision decide(Trial trial, List<Trial> trials) {
    return Decision.CONTINUE;
  }

  @Override
  public List<Promotion> promotions(List<Trial> trials, int slots) {
    List<Promotion> out = new ArrayList<>();
    for (Ranked r : candidates(trials)) {
      if (out.size() >= slots) {
        break;
      }
      out.add(r.promotion());
    }
    return out;
  }

  /** A possible promotion with its rank among the trials of its rung (0 = best). */
  record Ranked(Promotion promotion, int rank) {}

  /** Every promotion ASHA would make now: highest rung first, best first within a rung. */
  List<Ranked> candidates(List<Trial> trials) {
    List<Ranked> out = new ArrayList<>();
    Set<Integer> chosen = new HashSet<>();
    for (int k = rungs.length - 2; k >= 0; k--) {
      int rung = rungs[k];
      List<Trial> reached = new ArrayList<>();
      for (Trial t : trials) {
        if (t.state() != TrialState.FAILED
            && t.lastEpoch() >= rung
            && t.valueAt(rung).isPresent()) {
          reached.add(t);
        }
      }
      reached.sort(
          Comparator.comparingDouble((Trial t) -> loss(t.valueAt(rung)))
              .thenComparingInt(Trial::index));
      int top = reached.size() / eta;
      for (int i = 0; i < top; i++) {
        Trial t = reached.get(i);
        if (t.state() == TrialState.PAUSED && rungOf(t.lastEpoch()) == k && chosen.add(t.index())) {
          out.add(new Ranked(new Promotion(t.index(), t.lastEpoch(), rungs[k + 1]), i));
        }
      }
    }
    return out;
  }

  private double loss(OptionalDouble v) {
    double l = goal.toLoss(v.getAsDouble());
    return Double.isNaN(l) ? Double.POSITIVE_INFINITY : l;
  }

  /** The highest rung index whose budget is at most {@code epoch}, −1 below the first rung. */
  int rungOf(int epoch) {
    int k = Arrays.binarySearch(rungs, epoch);
    return k >= 0 ? k : -k - 2;
  }
}
