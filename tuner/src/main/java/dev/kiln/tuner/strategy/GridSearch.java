package dev.kiln.tuner.strategy;

import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.ParameterType;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.SearchStrategy;
import dev.kiln.tuner.Suggestion;
import dev.kiln.tuner.Trial;
import dev.kiln.tuner.math.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * Grid search: every category, every int when there are at most {@code pointsPerDimension} of them
 * (else that many evenly spaced), and {@code pointsPerDimension} evenly spaced values (in the
 * parameter's scale, ends included) of each double. Trial k gets grid point π(k), where π is a
 * seeded permutation of the grid, so a sweep that stops early still covers the grid evenly. When
 * every point has been handed out, {@link #suggest} returns fewer suggestions (none at the end).
 */
public final class GridSearch implements SearchStrategy {
  /** Values per double parameter when neither a resolution nor a budget is given. */
  public static final int DEFAULT_POINTS = 5;

  private static final long MAX_SIZE = Integer.MAX_VALUE;
  private final SearchSpace space;
  private final double[][] levels; // unit coordinates per parameter
  private final long size;
  private final long multiplier;
  private final long offset;

  public GridSearch(SearchSpace space, long seed, int pointsPerDimension) {
    if (pointsPerDimension < 2) {
      throw new IllegalArgumentException("a grid needs at least 2 points per dimension");
    }
    this.space = space;
    this.levels = new double[space.size()][];
    long n = 1;
    for (int i = 0; i < space.size(); i++) {
      levels[i] = levels(space.get(i), pointsPerDimension);
      n *= levels[i].length;
      if (n > MAX_SIZE) {
        throw new IllegalArgumentException(
            "the grid would have more than "
                + MAX_SIZE
                + " points: use fewer points per dimension or another strategy");
      }
    }
    this.size = n;
    Rng rng = Rng.of(seed, 0x47524944L);
    long a = 1 + (rng.nextLong() >>> 1) % Math.max(1, size);
    while (gcd(a, size) != 1) {
      a++;
    }
    this.multiplier = a % Math.max(1, size);
    this.offset = (rng.nextLong() >>> 1) % size;
  }

  /** The coarsest grid with at least {@code budget} points (at most 2^20 per dimension). */
  public static GridSearch forBudget(SearchSpace space, long seed, int budget) {
    int p = 2;
    while (p < (1 << 20) && gridSize(space, p) < budget) {
      p++;
    }
    return new GridSearch(space, seed, p);
  }

  private static long gridSize(SearchSpace space, int p) {
    long n = 1;
    for (Parameter param : space.parameters()) {
      n *= levels(param, p).length;
      if (n > MAX_SIZE) {
        return n;
      }
    }
    return n;
  }

  private static double[] levels(Parameter p, int points) {
    if (p.type() == ParameterType.DOUBLE
        || (p.type() == ParameterType.INT && p.cardinality() > points)) {
      double[] u = new double[points];
      for (int i = 0; i < points; i++) {
        u[i] = (double) i / (points - 1);
      }
      return u;
    }
    int k = (int) p.cardinality();
    double[] u = new double[k];
    for (int i = 0; i < k; i++) {
      u[i] = (i + 0.5) / k;
    }
    return u;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Number of grid points. */
  public long size() {
    return size;
  }

  @Override
  public String name() {
    return "grid";
  }

  @Override
  public SearchSpace space() {
    return space;
  }

  @Override
  public List<Suggestion> suggest(int count, List<Trial> history) {
    int next = SearchStrategy.nextIndex(history);
    List<Suggestion> out = new ArrayList<>();
    for (long k = next; k < next + (long) count && k < size; k++) {
      out.add(new Suggestion(space.fromUnit(point((multiplier * k + offset) % size))));
    }
    return out;
  }

  private double[] point(long flat) {
    double[] u = new double[levels.length];
    for (int i = levels.length - 1; i >= 0; i--) {
      int len = levels[i].length;
      u[i] = levels[i][(int) (flat % len)];
      flat /= len;
    }
    return u;
  }
}
