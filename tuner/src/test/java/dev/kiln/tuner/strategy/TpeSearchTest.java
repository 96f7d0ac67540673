package dev.kiln.tuner.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TpeSearchTest {
  @Test
  void goodFractionFollowsOptunasGamma() {
    assertThat(TpeSearch.good(10)).isEqualTo(1);
    assertThat(TpeSearch.good(11)).isEqualTo(2);
    assertThat(TpeSearch.good(100)).isEqualTo(10);
    assertThat(TpeSearch.good(1000)).isEqualTo(25);
  }

  @Test
  void mixtureWeightsFollowOptunasDefaultWeightsWithThePrior() {
    // Optuna: default_weights(30) = concat(linspace(1/30, 1, 5), ones(25)), prior weight 1.
    double[] w = ParzenEstimator.mixtureWeights(30);
    double[] raw = new double[31];
    for (int i = 0; i < 5; i++) {
      raw[i] = 1.0 / 30 + i * (1 - 1.0 / 30) / 4;
    }
    for (int i = 5; i < 31; i++) {
      raw[i] = 1;
    }
    double sum = java.util.Arrays.stream(raw).sum();
    for (int i = 0; i < 31; i++) {
      assertThat(w[i]).isCloseTo(raw[i] / sum, within(1e-12));
    }
    assertThat(ParzenEstimator.mixtureWeights(3)).containsExactly(0.25, 0.25, 0.25, 0.25);
  }

  @Test
  void densityConcentratesOnTheObservations() {
    ParzenEstimator good = ParzenEstimator.numeric(new double[] {0.2, 0.22, 0.25});
    assertThat(good.logPdf(0.22)).isGreaterThan(good.logPdf(0.8) + 1);
    ParzenEstimator cat = ParzenEstimator.categorical(new int[] {1, 1, 0}, 3);
    assertThat(cat.logProbability(1)).isGreaterThan(cat.logProbability(0));
    assertThat(cat.logProbability(0)).isGreaterThan(cat.logProbability(2));
    double total =
        Math.exp(cat.logProbability(0))
            + Math.exp(cat.logProbability(1))
            + Math.exp(cat.logProbability(2));
    assertThat(total).isCloseTo(1, within(1e-12));
  }
}
