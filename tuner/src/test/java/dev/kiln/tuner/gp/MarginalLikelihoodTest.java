package dev.kiln.tuner.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.tuner.math.Rng;
import org.junit.jupiter.api.Test;

class MarginalLikelihoodTest {

  @Test
  void valueMatchesTheClosedFormForTwoPoints() {
    double[][] x = {{0.1, 0.4}, {0.7, 0.2}};
    double[] y = {0.8, -0.3};
    double l0 = 0.4;
    double l1 = 0.9;
    double sv = 1.3;
    double noise = 0.05;
    double r = Math.sqrt(Math.pow(0.6 / l0, 2) + Math.pow(0.2 / l1, 2));
    double s5 = Math.sqrt(5);
    double b = sv * (1 + s5 * r + 5 * r * r / 3) * Math.exp(-s5 * r);
    double a = sv + noise;
    double det = a * a - b * b;
    double quad = (a * y[0] * y[0] - 2 * b * y[0] * y[1] + a * y[1] * y[1]) / det;
    double expected = 0.5 * quad + 0.5 * Math.log(det) + Math.log(2 * Math.PI);

    MarginalLikelihood f = new MarginalLikelihood(x, y, null);
    double[] theta = {Math.log(l0), Math.log(l1), Math.log(sv), Math.log(noise)};
    assertThat(f.valueAndGradient(theta, new double[4])).isCloseTo(expected, within(1e-12));
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Rng rng = new Rng(5);
    int n = 15;
    int dim = 3;
    double[][] x = new double[n][dim];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        x[i][d] = rng.nextDouble();
      }
      y[i] = Math.cos(4 * x[i][0]) + 0.5 * x[i][1] + 0.1 * rng.nextGaussian();
    }
    for (MarginalLikelihood.Prior prior :
        new MarginalLikelihood.Prior[] {null, GpFitter.prior(dim)}) {
      MarginalLikelihood f = new MarginalLikelihood(x, y, prior);
      double[] theta = {Math.log(0.3), Math.log(0.8), Math.log(1.5), Math.log(0.9), Math.log(0.01)};
      double[] g = new double[theta.length];
      f.valueAndGradient(theta, g);
      double h = 1e-6;
      for (int k = 0; k < theta.length; k++) {
        double[] tp = theta.clone();
        double[] tm = theta.clone();
        tp[k] += h;
        tm[k] -= h;
        double fd =
            (f.valueAndGradient(tp, new double[theta.length])
                    - f.valueAndGradient(tm, new double[theta.length]))
                / (2 * h);
        assertThat(g[k])
            .as("parameter %d, prior %s", k, prior != null)
            .isCloseTo(fd, within(1e-5 * Math.max(1, Math.abs(fd))));
      }
    }
  }

  @Test
  void fittingFindsTheRelevantDimensionAndImprovesTheLikelihood() {
    Rng rng = new Rng(9);
    int n = 30;
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = rng.nextDouble();
      x[i][1] = rng.nextDouble();
      y[i] = Math.sin(8 * x[i][0]); // x1 is irrelevant
    }
    double[] ys = y.clone();
    double mean = java.util.Arrays.stream(ys).average().orElseThrow();
    double sd =
        Math.sqrt(
            java.util.Arrays.stream(ys).map(v -> (v - mean) * (v - mean)).average().orElseThrow());
    for (int i = 0; i < n; i++) {
      ys[i] = (ys[i] - mean) / sd;
    }
    GpHyperparameters h = new GpFitter(1, 60).fit(x, ys, new Rng(1));
    assertThat(h.lengthscales()[1]).isGreaterThan(5 * h.lengthscales()[0]);
    MarginalLikelihood f = new MarginalLikelihood(x, ys, GpFitter.prior(2));
    double[] start = {Math.log(0.35), Math.log(0.35), 0, Math.log(1e-3)};
    assertThat(f.valueAndGradient(h.toLog(), new double[4]))
        .isLessThan(f.valueAndGradient(start, new double[4]));
  }
}
