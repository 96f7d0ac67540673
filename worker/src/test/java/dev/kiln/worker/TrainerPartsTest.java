package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

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
}
