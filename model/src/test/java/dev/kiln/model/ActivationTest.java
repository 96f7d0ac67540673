package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ActivationTest {

  @Test
  void tanhIsCorrectlyRoundedAlmostEverywhere() {
    for (double x = -30; x <= 30; x += 0.0137) {
      float f = (float) x;
      float expected = (float) Math.tanh(f);
      assertThat(Activation.tanh(f)).as("tanh(%s)", f).isCloseTo(expected, within(expected));
    }
    for (float tiny : new float[] {1e-30f, -3e-12f, 1e-5f, 0.00999f, 0.0101f}) {
      assertThat(Activation.tanh(tiny)).isCloseTo((float) Math.tanh(tiny), within(tiny));
    }
    assertThat(Activation.tanh(0f)).isZero();
    assertThat(Activation.tanh(1e4f)).isEqualTo(1f);
    assertThat(Activation.tanh(-1e4f)).isEqualTo(-1f);
  }

  @Test
  void sigmoidNeitherOverflowsNorLosesTheTail() {
    assertThat(Activation.sigmoid(0f)).isEqualTo(0.5f);
    assertThat(Activation.sigmoid(-200f)).isZero();
    assertThat(Activation.sigmoid(200f)).isEqualTo(1f);
    assertThat(Activation.sigmoid(-20f)).isCloseTo(2.0611537e-9f, within(2e-9f));
  }

  @Test
  void reluMapsNegativeZeroToPositiveZero() {
    assertThat(Float.floatToRawIntBits(Activation.RELU.apply(-0f))).isZero();
    assertThat(Activation.RELU.apply(-3f)).isZero();
    assertThat(Activation.RELU.apply(2.5f)).isEqualTo(2.5f);
  }

  private static org.assertj.core.data.Offset<Float> within(float v) {
    return org.assertj.core.data.Offset.offset(Math.ulp(v) * 1.01f);
  }
}
