package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void validationLossesFollowTheTrainingDefinitions() {
    float[] probs = {0.25f, 0.75f, 0.5f, 0.5f};
    assertThat(Metrics.lossSum(LossFunction.CROSS_ENTROPY, probs, new float[] {1, 0}, 2, 2))
        .isCloseTo(-Math.log(0.75) - Math.log(0.5), Offset.offset(1e-6));
    assertThat(Metrics.lossSum(LossFunction.MSE, new float[] {1, 3}, new float[] {0, 1}, 1, 2))
        .isCloseTo((1 + 4) / 2.0, Offset.offset(1e-9));
    assertThat(
            Metrics.lossSum(
                LossFunction.BINARY_CROSS_ENTROPY, new float[] {0.8f}, new float[] {1}, 1, 1))
        .isCloseTo(-Math.log(0.8), Offset.offset(1e-6));
  }

  @Test
  void countsArgMaxHitsForCrossEntropyAndThresholdedRowsForBinary() {
    float[] probs = {0.25f, 0.75f, 0.6f, 0.4f, 0.1f, 0.9f};
    assertThat(Metrics.correct(LossFunction.CROSS_ENTROPY, probs, new float[] {1, 1, 1}, 3, 2))
        .isEqualTo(2);
    assertThat(
            Metrics.correct(
                LossFunction.BINARY_CROSS_ENTROPY,
                new float[] {0.7f, 0.2f, 0.4f, 0.9f},
                new float[] {1, 0, 1, 1},
                2,
                2))
        .isEqualTo(1);
    assertThat(Metrics.correct(LossFunction.MSE, probs, probs, 3, 2)).isZero();
  }
}
