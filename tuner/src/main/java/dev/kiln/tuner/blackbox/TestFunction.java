package dev.kiln.tuner.blackbox;

import dev.kiln.tuner.Parameter;
import dev.kiln.tuner.Scale;
import dev.kiln.tuner.SearchSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Standard optimization test functions (minimize), with the bounds and known minima that {@code
 * shared/peers/functions.py} uses. Parameters are named {@code x0, x1, ...}.
 */
public enum TestFunction {
  BRANIN(new double[] {-5, 0}, new double[] {10, 15}, 0.397887) {
    @Override
    double value(double[] x) {
      double b = 5.1 / (4 * Math.PI * Math.PI);
      double c = 5 / Math.PI;
      double t = 1 / (8 * Math.PI);
      double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
      return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
    }
  },
  HARTMANN6(filled(6, 0), filled(6, 1), -3.32237) {
    private static final double[][] A = {
      {10, 3, 17, 3.5, 1.7, 8},
      {0.05, 10, 17, 0.1, 8, 14},
      {3, 3.5, 1.7, 10, 17, 8},
      {17, 8, 0.05, 10, 0.1, 14}
    };
    private static final double[][] P = {
      {1312, 1696, 5569, 124, 8283, 5886},
      {2329, 4135, 8307, 3736, 1004, 9991},
      {2348, 1451, 3522, 2883, 3047, 6650},
      {4047, 8828, 8732, 5743, 1091, 381}
    };
    private static final double[] C = {1.0, 1.2, 3.0, 3.2};

    @Override
    double value(double[] x) {
      double sum = 0;
      for (int i = 0; i < 4; i++) {
        double inner = 0;
        for (int j = 0; j < 6; j++) {
          double d = x[j] - P[i][j] * 1e-4;
          inner += A[i][j] * d * d;
        }
        sum += C[i] * Math.exp(-inner);
      }
      return -sum;
    }
  },
  ROSENBROCK4(filled(4, -5), filled(4, 10), 0.0) {
    @Override
    double value(double[] x) {
      double s = 0;
      for (int i = 0; i < x.length - 1; i++) {
        double a = x[i + 1] - x[i] * x[i];
        double b = 1 - x[i];
        s += 100 * a * a + b * b;
      }
      return s;
    }
  };

  private final double[] lower;
  private final double[] upper;
  private final double minimum;

  TestFunction(double[] lower, double[] upper, double minimum) {
    this.lower = lower;
    this.upper = upper;
    this.minimum = minimum;
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  abstract double value(double[] x);

  /** The function's name as the benchmark spells it: branin, hartmann6, rosenbrock4. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a benchmark function name. */
  public static TestFunction parse(String name) {
    for (TestFunction f : values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "function must be one of branin, hartmann6, rosenbrock4, got '" + name + "'");
  }

  /** The global minimum value. */
  public double minimum() {
    return minimum;
  }

  /** Parameters x0..x(d−1), doubles on a linear scale within the function's bounds. */
  public SearchSpace space() {
    List<Parameter> ps = new ArrayList<>();
    for (int i = 0; i < lower.length; i++) {
      ps.add(Parameter.ofDouble("x" + i, lower[i], upper[i], Scale.LINEAR));
    }
    return SearchSpace.of(ps);
  }

  /** The function as a black-box objective over {@link #space()}. */
  public Objective objective() {
    return parameters -> {
      double[] x = new double[lower.length];
      for (int i = 0; i < x.length; i++) {
        if (!(parameters.get("x" + i) instanceof Number n)) {
          throw new Objective.ObjectiveException("parameter x" + i + " is missing or not a number");
        }
        x[i] = n.doubleValue();
      }
      return value(x);
    };
  }

  /** The value at {@code x}. */
  public double at(double... x) {
    return value(x);
  }
}
