package dev.kiln.tuner.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.tuner.math.Rng;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {
  private static double matern(double r, double sv) {
    double s5 = Math.sqrt(5);
    return sv * (1 + s5 * r + 5 * r * r / 3) * Math.exp(-s5 * r);
  }

  @Test
  void posteriorMatchesTheClosedFormForTwoPoints() {
    double l = 0.5;
    double sv = 2;
    double noise = 0.01;
    double[][] x = {{0.2}, {0.6}};
    double[] y = {1, -0.5};
    GaussianProcess gp =
        GaussianProcess.fit(x, y, new GpHyperparameters(new double[] {l}, sv, noise));

    // K⁻¹ of [[a, b], [b, a]] is [[a, -b], [-b, a]] / (a² - b²).
    double a = sv + noise;
    double b = matern(0.4 / l, sv);
    double det = a * a - b * b;
    double[] k = {matern(0.2 / l, sv), matern(0.2 / l, sv)}; // x* = 0.4 is 0.2 from both
    double[] kInvY = {(a * y[0] - b * y[1]) / det, (-b * y[0] + a * y[1]) / det};
    double[] kInvK = {(a * k[0] - b * k[1]) / det, (-b * k[0] + a * k[1]) / det};
    double mean = k[0] * kInvY[0] + k[1] * kInvY[1];
    double var = sv - (k[0] * kInvK[0] + k[1] * kInvK[1]);

    double[] out = new double[2];
    gp.predict(new double[] {0.4}, out);
    assertThat(out[0]).isCloseTo(mean, within(1e-12));
    assertThat(out[1]).isCloseTo(var, within(1e-12));
  }

  @Test
  void nearlyInterpolatesWithTinyNoiseAndRevertsToThePriorFarAway() {
    double[][] x = {{0.1, 0.1}, {0.5, 0.9}, {0.9, 0.3}};
    double[] y = {0.3, -1.2, 0.8};
    GaussianProcess gp =
        GaussianProcess.fit(x, y, new GpHyperparameters(new double[] {0.2, 0.3}, 1.5, 1e-8));
    double[] out = new double[2];
    for (int i = 0; i < x.length; i++) {
      gp.predict(x[i], out);
      assertThat(out[0]).isCloseTo(y[i], within(1e-6));
      assertThat(out[1]).isLessThan(1e-6);
    }
    gp.predict(new double[] {50, 50}, out);
    assertThat(out[0]).isCloseTo(0, within(1e-9));
    assertThat(out[1]).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void appendingAnObservationEqualsRefitting() {
    Rng rng = new Rng(3);
    double[][] x = new double[12][3];
    double[] y = new double[12];
    for (int i = 0; i < 12; i++) {
      for (int d = 0; d < 3; d++) {
        x[i][d] = rng.nextDouble();
      }
      y[i] = rng.nextGaussian();
    }
    GpHyperparameters h = new GpHyperparameters(new double[] {0.3, 0.5, 0.8}, 1.2, 1e-4);
    GaussianProcess grown =
        GaussianProcess.fit(java.util.Arrays.copyOf(x, 8), java.util.Arrays.copyOf(y, 8), h);
    for (int i = 8; i < 12; i++) {
      grown.add(x[i], y[i]);
    }
    GaussianProcess full = GaussianProcess.fit(x, y, h);
    double[] a = new double[2];
    double[] b = new double[2];
    for (int t = 0; t < 20; t++) {
      double[] p = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
      grown.predict(p, a);
      full.predict(p, b);
      assertThat(a[0]).isCloseTo(b[0], within(1e-9));
      assertThat(a[1]).isCloseTo(b[1], within(1e-9));
    }
    assertThat(grown.size()).isEqualTo(12);
  }

  @Test
  void meanAndVarianceGradientsMatchFiniteDifferences() {
    Rng rng = new Rng(11);
    int n = 10;
    double[][] x = new double[n][2];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = rng.nextDouble();
      x[i][1] = rng.nextDouble();
      y[i] = Math.sin(6 * x[i][0]) + x[i][1];
    }
    GaussianProcess gp =
        GaussianProcess.fit(x, y, new GpHyperparameters(new double[] {0.3, 0.6}, 1.0, 1e-4));
    double[] p = {0.37, 0.52};
    double[] out = new double[2];
    double[] dm = new double[2];
    double[] dv = new double[2];
    gp.predictWithGradient(p, out, dm, dv);
    double[] plus = new double[2];
    double[] minus = new double[2];
    double h = 1e-6;
    for (int d = 0; d < 2; d++) {
      double[] pp = p.clone();
      double[] pm = p.clone();
      pp[d] += h;
      pm[d] -= h;
      gp.predict(pp, plus);
      gp.predict(pm, minus);
      assertThat(dm[d]).isCloseTo((plus[0] - minus[0]) / (2 * h), within(1e-5));
      assertThat(dv[d]).isCloseTo((plus[1] - minus[1]) / (2 * h), within(1e-5));
    }
  }
}
