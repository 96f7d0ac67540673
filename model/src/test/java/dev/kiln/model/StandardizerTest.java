package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StandardizerTest {

  @Test
  void fitsMeanAndPopulationStdPerFeature() {
    float[] x = {1, 10, 3, 10, 5, 10};
    Standardizer s = Standardizer.fit(x, 3, 2);
    assertThat(s.mean()).containsExactly(3f, 10f);
    assertThat(s.std()[0]).isCloseTo((float) Math.sqrt(8.0 / 3), Offset.offset(1e-6f));
    assertThat(s.std()[1]).as("zero variance gives std 1").isEqualTo(1f);
    float[] out = new float[6];
    s.apply(x, out, 3);
    assertThat(out[0]).isCloseTo(-1.2247449f, Offset.offset(1e-6f));
    assertThat(out[1]).isZero();
    assertThat(out[2]).isZero();
  }

  @Test
  void rejectsNonPositiveStd() {
    assertThatThrownBy(() -> new Standardizer(new float[] {0}, new float[] {0}))
        .hasMessageContaining("std of feature 0 must be > 0");
  }
}
