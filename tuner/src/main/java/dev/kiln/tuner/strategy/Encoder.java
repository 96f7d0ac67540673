package dev.kiln.tuner.strategy;

import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.ParameterType;
import dev.kiln.tuner.SearchSpace;
import dev.kiln.tuner.math.Rng;

/**
 * The GP's input space: one feature per numeric parameter (its unit coordinate, so log scales are
 * already logarithmic) and a one-hot block per categorical parameter. Snapping a feature vector
 * rounds ints to their bin centres and categories to a clean one-hot, so that the GP is always
 * asked about points that can actually be run.
 */
final class Encoder {
  private final SearchSpace space;
  private final int[] offset; // first feature of each parameter
  private final int dims;
  private final boolean[] numeric;

  Encoder(SearchSpace space) {
    this.space = space;
    this.offset = new int[space.size()];
    int d = 0;
    for (int p = 0; p < space.size(); p++) {
      offset[p] = d;
      Parameter param = space.get(p);
      d += param.type() == ParameterType.CATEGORICAL ? (int) param.cardinality() : 1;
    }
    this.dims = d;
    this.numeric = new boolean[d];
    for (int p = 0; p < space.size(); p++) {
      if (space.get(p).type() != ParameterType.CATEGORICAL) {
        numeric[offset[p]] = true;
      }
    }
  }

  int dims() {
    return dims;
  }

  /** Whether feature i is a numeric coordinate (else part of a one-hot block). */
  boolean isNumeric(int i) {
    return numeric[i];
  }

  /** Features of a point given as unit coordinates per parameter. */
  double[] encode(double[] unit) {
    double[] f = new double[dims];
    for (int p = 0; p < unit.length; p++) {
      Parameter param = space.get(p);
      if (param.type() == ParameterType.CATEGORICAL) {
        int k = (int) param.cardinality();
        f[offset[p] + (int) Math.min(k - 1, Math.floor(unit[p] * k))] = 1;
      } else {
        f[offset[p]] = unit[p];
      }
    }
    return f;
  }

  /** Unit coordinates per parameter of a feature vector (argmax of each one-hot block). */
  double[] unitOf(double[] f) {
    double[] u = new double[space.size()];
    for (int p = 0; p < u.length; p++) {
      Parameter param = space.get(p);
      if (param.type() == ParameterType.CATEGORICAL) {
        int k = (int) param.cardinality();
        int best = 0;
        for (int c = 1; c < k; c++) {
          if (f[offset[p] + c] > f[offset[p] + best]) {
            best = c;
          }
        }
        u[p] = (best + 0.5) / k;
      } else {
        u[p] = Math.min(1, Math.max(0, f[offset[p]]));
      }
    }
    return u;
  }

  /** The runnable point nearest to {@code f}, as features. */
  double[] snap(double[] f) {
    double[] u = unitOf(f);
    for (int p = 0; p < u.length; p++) {
      Parameter param = space.get(p);
      if (param.type() == ParameterType.INT) {
        u[p] = param.toUnit(param.fromUnit(u[p]));
      }
    }
    return encode(u);
  }

  /** A uniform random point, as features. */
  double[] random(Rng rng) {
    return encode(rng.nextUnit(space.size()));
  }

  /**
   * A random neighbour of {@code f}: numeric features move by N(0, scale²) (clamped to [0, 1]),
   * each categorical parameter switches to a random category with probability {@code flip}.
   */
  double[] perturb(double[] f, double scale, double flip, Rng rng) {
    double[] out = f.clone();
    for (int p = 0; p < space.size(); p++) {
      Parameter param = space.get(p);
      int o = offset[p];
      if (param.type() == ParameterType.CATEGORICAL) {
        if (rng.nextDouble() < flip) {
          int k = (int) param.cardinality();
          java.util.Arrays.fill(out, o, o + k, 0);
          out[o + rng.nextInt(k)] = 1;
        }
      } else {
        out[o] = Math.min(1, Math.max(0, f[o] + scale * rng.nextGaussian()));
      }
    }
    return out;
  }
}
