package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.LossFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TrainerPartsTest {

  @Test
  void progressLinesAreStableKeyValuePairs() {
    String line =
        new ProgressLine(3, 20, 120, 600)
            .metric("loss", 0.21344)
            .metric("val_accuracy", 0.95211)
            .count("samples_per_sec", 12345.4)
            .count("eta_s", 41.6)
            .toString();
    assertThat(line)
        .isEqualTo(
            "epoch=3/20 step=120/600 loss=0.2134 val_accuracy=0.9521 samples_per_sec=12345"
                + " eta_s=42");
    assertThat(new ProgressLine(1, 1, 1, 1).metric("loss", Double.NaN).toString())
        .endsWith("loss=nan");
  }

  @Test
  void validationLossesFollowTheTrainingDefinitions() {
    float[] probs = {0.25f, 0.75f, 0.5f, 0.5f};
    assertThat(Evaluation.lossSum(LossFunction.CROSS_ENTROPY, probs, new float[] {1, 0}, 2, 2))
        .isCloseTo(-Math.log(0.75) - Math.log(0.5), Offset.offset(1e-6));
    assertThat(Evaluation.lossSum(LossFunction.MSE, new float[] {1, 3}, new float[] {0, 1}, 1, 2))
        .isCloseTo((1 + 4) / 2.0, Offset.offset(1e-9));
    assertThat(
            Evaluation.lossSum(
                LossFunction.BINARY_CROSS_ENTROPY, new float[] {0.8f}, new float[] {1}, 1, 1))
        .isCloseTo(-Math.log(0.8), Offset.offset(1e-6));
  }
}
