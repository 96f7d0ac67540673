package dev.kiln.tuner.strategy;

import dev.kiln.tuner.Goal;
import dev.kiln.tuner.Observations;
import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.ParameterType;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.math.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Tree-structured Parzen Estimator with Optuna's defaults: 10 random start-up trials; then the best
 * γ(n) = min(⌈0.1 n⌉, 25) trials form the "good" model l(x) and the rest the "bad" model g(x), per
 * parameter independently; 24 candidates drawn from l(x), the one with the largest l(x)/g(x) wins.
 * Each suggestion has its own random stream (seed, trial index), so parallel suggestions differ.
 */
public final class TpeSearch implements SearchStrategy {
  public static final int STARTUP_TRIALS = 10;
  public static final int CANDIDATES = 24;

  private final SearchSpace space;
  private final Goal goal;
  private final long seed;

  public TpeSearch(SearchSpace space, Goal goal, long seed) {
    this.space = space;
    this.goal = goal;
    this.seed = seed;
  }

  @Override
  public String name() {
    return "tpe";
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  /** γ(n): how many of n observations are "good". */
  static int good(int n) {
    return Math.min((int) Math.ceil(0.1 * n), 25);
  }

  @Override
  public List<Suggestion> suggest(int count, List<Trial> history) {
    Observations obs = Observations.of(space, goal, history);
    int n = obs.observedCount();
    List<Suggestion> out = new ArrayList<>(count);
    if (n < STARTUP_TRIALS) {
      for (int j = 0; j < count; j++) {
        double[] u = RandomSearch.point(space.size(), seed, obs.nextIndex() + j);
        out.add(new Suggestion(space.fromUnit(u)));
      }
      return out;
    }
    // Split into good and bad, each kept in trial order.
    Integer[] byLoss = new Integer[n];
    for (int i = 0; i < n; i++) {
      byLoss[i] = i;
    }
    Arrays.sort(byLoss, Comparator.comparingDouble(obs::loss));
    int nGood = good(n);
    boolean[] isGood = new boolean[n];
    for (int i = 0; i < nGood; i++) {
      isGood[byLoss[i]] = true;
    }
    ParzenEstimator[] goodModels = new ParzenEstimator[space.size()];
    ParzenEstimator[] badModels = new ParzenEstimator[space.size()];
    for (int p = 0; p < space.size(); p++) {
      double[] goodU = new double[nGood];
      double[] badU = new double[n - nGood];
      for (int i = 0, g = 0, b = 0; i < n; i++) {
        double u = obs.observedUnit(i)[p];
        if (isGood[i]) {
          goodU[g++] = u;
        } else {
          badU[b++] = u;
        }
      }
      Parameter param = space.get(p);
      if (param.type() == ParameterType.CATEGORICAL) {
        int k = (int) param.cardinality();
        goodModels[p] = ParzenEstimator.categorical(categories(goodU, k), k);
        badModels[p] = ParzenEstimator.categorical(categories(badU, k), k);
      } else {
        goodModels[p] = ParzenEstimator.numeric(goodU);
        badModels[p] = ParzenEstimator.numeric(badU);
      }
    }
    for (int j = 0; j < count; j++) {
      Rng rng = Rng.of(seed, 0x545045L, obs.nextIndex() + j);
      double[] u = new double[space.size()];
      for (int p = 0; p < space.size(); p++) {
        u[p] = sampleParameter(space.get(p), goodModels[p], badModels[p], rng);
      }
      out.add(new Suggestion(space.fromUnit(u)));
    }
    return out;
  }

  private static int[] categories(double[] unit, int k) {
    int[] c = new int[unit.length];
    for (int i = 0; i < unit.length; i++) {
      c[i] = (int) Math.min(k - 1, Math.floor(unit[i] * k));
    }
    return c;
  }

  private static double sampleParameter(
      Parameter param, ParzenEstimator good, ParzenEstimator bad, Rng rng) {
    double bestScore = Double.NEGATIVE_INFINITY;
    double best = 0.5;
    for (int c = 0; c < CANDIDATES; c++) {
      double u;
      double score;
      switch (param.type()) {
        case CATEGORICAL:
          {
            int k = (int) param.cardinality();
            int cat = good.sampleCategory(rng);
            u = (cat + 0.5) / k;
            score = good.logProbability(cat) - bad.logProbability(cat);
            break;
          }
        case INT:
          {
            long v = (Long) param.fromUnit(good.sample(rng));
            double[] bin = param.unitBin(v);
            u = param.toUnit(v);
            score = good.logMass(bin[0], bin[1]) - bad.logMass(bin[0], bin[1]);
            break;
          }
        default:
          u = good.sample(rng);
          score = good.logPdf(u) - bad.logPdf(u);
          break;
      }
      if (score > bestScore) {
        bestScore = score;
        best = u;
      }
    }
    return best;
  }
}
