package dev.kiln.tuner.stopping;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Trial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Hyperband as brackets of ASHA (as in Li et al.'s asynchronous Hyperband): bracket b starts trials
 * at the b-th rung of r, rη, ..., R. Trial k's bracket is a pure function of k: a smooth weighted
 * round robin in which bracket b (s = its number of halvings) gets ⌈(s_max + 1)/(s + 1) · η^s⌉
 * trials per cycle, Hyperband's own allocation. Each bracket promotes among its own trials.
 */
final class Hyperband implements EarlyStopping {
  private final List<Asha> brackets = new ArrayList<>();
  private final int[] cycle; // bracket of trial k is cycle[k % cycle.length]
  private final int maxEpochs;

  Hyperband(Goal goal, int minEpochs, int eta, int maxEpochs) {
    this.maxEpochs = maxEpochs;
    int[] base = Asha.rungs(minEpochs, eta, maxEpochs);
    int sMax = base.length - 1;
    int[] weights = new int[base.length];
    for (int b = 0; b < base.length; b++) {
      brackets.add(new Asha(goal, Arrays.copyOfRange(base, b, base.length), eta));
      int s = sMax - b;
      weights[b] = (int) Math.ceil((sMax + 1.0) / (s + 1) * Math.pow(eta, s));
    }
    this.cycle = smoothRoundRobin(weights);
  }

  private static int[] smoothRoundRobin(int[] weights) {
    int total = Arrays.stream(weights).sum();
    int[] current = new int[weights.length];
    int[] out = new int[total];
    for (int i = 0; i < total; i++) {
      int best = 0;
      for (int b = 0; b < weights.length; b++) {
        current[b] += weights[b];
        if (current[b] > current[best]) {
          best = b;
        }
      }
      current[best] -= total;
      out[i] = best;
    }
    return out;
  }

  /** The bracket trial {@code trialIndex} belongs to. */
  int bracketOf(int trialIndex) {
    return cycle[trialIndex % cycle.length];
  }

  @Override
  public String name() {
    return "hyperband";
  }

  @Override
  public int maxEpochs() {
    return maxEpochs;
  }

  @Override
  public int initialEpochs(int trialIndex) {
    return brackets.get(bracketOf(trialIndex)).initialEpochs(trialIndex);
  }

  @Override
  public Decision decide(Trial trial, List<Trial> trials) {
    return Decision.CONTINUE;
  }

  @Override
  public List<Promotion> promotions(List<Trial> trials, int slots) {
    List<Asha.Ranked> all = new ArrayList<>();
    for (int b = 0; b < brackets.size(); b++) {
      int bracket = b;
      List<Trial> mine = trials.stream().filter(t -> bracketOf(t.index()) == bracket).toList();
      all.addAll(brackets.get(b).candidates(mine));
    }
    all.sort(
        Comparator.comparingInt((Asha.Ranked r) -> -r.promotion().epochs())
            .thenComparingInt(Asha.Ranked::rank)
            .thenComparingInt(r -> r.promotion().trialIndex()));
    return all.stream().limit(slots).map(Asha.Ranked::promotion).toList();
  }
}
