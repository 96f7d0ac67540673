package dev.kiln.model;

import static dev.kiln.model.Activation.LINEAR;
import static dev.kiln.model.Activation.RELU;
import static dev.kiln.model.Activation.SIGMOID;
import static dev.kiln.model.Activation.SOFTMAX;
import static dev.kiln.model.Activation.TANH;
import static dev.kiln.model.LossFunction.BINARY_CROSS_ENTROPY;
import static dev.kiln.model.LossFunction.CROSS_ENTROPY;
import static dev.kiln.model.LossFunction.MSE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every layer, activation and loss against finite differences of a double-precision reference. */
class GradientCheckTest {
  private static final int INPUTS = 5;
  private static final int ROWS = 7;
  private static final ComputeBackend CPU = new CpuBackend(2);

  @AfterAll
  static void close() {
    CPU.close();
  }

  static Stream<Arguments> models() {
    return Stream.of(
        Arguments.of(
            "relu hidden, softmax CE", Fixtures.config(CROSS_ENTROPY, 6, RELU, 3, SOFTMAX)),
        Arguments.of(
            "tanh hidden, softmax CE", Fixtures.config(CROSS_ENTROPY, 6, TANH, 3, SOFTMAX)),
        Arguments.of(
            "sigmoid hidden, softmax CE", Fixtures.config(CROSS_ENTROPY, 6, SIGMOID, 3, SOFTMAX)),
        Arguments.of(
            "softmax hidden, softmax CE", Fixtures.config(CROSS_ENTROPY, 6, SOFTMAX, 3, SOFTMAX)),
        Arguments.of(
            "linear hidden, softmax CE", Fixtures.config(CROSS_ENTROPY, 6, LINEAR, 3, SOFTMAX)),
        Arguments.of("linear output, MSE", Fixtures.config(MSE, 6, TANH, 2, LINEAR)),
        Arguments.of("tanh output, MSE", Fixtures.config(MSE, 6, RELU, 2, TANH)),
        Arguments.of("sigmoid output, MSE", Fixtures.config(MSE, 6, RELU, 2, SIGMOID)),
        Arguments.of("softmax output, MSE", Fixtures.config(MSE, 6, SIGMOID, 3, SOFTMAX)),
        Arguments.of("relu output, MSE", Fixtures.config(MSE, 6, TANH, 2, RELU)),
        Arguments.of(
            "sigmoid output, binary CE",
            Fixtures.config(BINARY_CROSS_ENTROPY, 6, TANH, 3, SIGMOID)),
        Arguments.of(
            "three hidden layers",
            Fixtures.config(CROSS_ENTROPY, 8, RELU, 7, TANH, 6, SIGMOID, 4, SOFTMAX)),
        Arguments.of("single dense layer", Fixtures.config(CROSS_ENTROPY, 4, SOFTMAX)),
        Arguments.of(
            "zero-rate dropout is the identity",
            Fixtures.config(CROSS_ENTROPY, 6, RELU, 0f, 3, SOFTMAX)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void gradientsMatchFiniteDifferences(String name, ModelConfig config) {
    float[] x = Fixtures.uniform(ROWS * INPUTS, 11, 1.5f);
    float[] t = Fixtures.targets(config.loss(), ROWS, config.outputWidth(), 12);
    float scale = 0.5f;
    try (Network net = Network.create(config, INPUTS, CPU)) {
      float loss = net.forwardBackward(x, t, ROWS, Fixtures.ids(0, ROWS), 0, scale);
      double[] p = toDouble(net.parameters());
      assertThat((double) loss)
          .isCloseTo(ReferenceMlp.loss(config, INPUTS, p, x, t, ROWS), within(1e-4, loss));
      double[] numeric =
          ReferenceMlp.numericGradient(config, INPUTS, net.parameters(), x, t, ROWS, 1e-6);
      float[] g = net.gradients();
      for (int i = 0; i < g.length; i++) {
        double expected = scale * numeric[i];
        assertThat((double) g[i])
            .as("gradient %d of %s", i, name)
            .isCloseTo(expected, within(2e-4, expected));
      }
    }
  }

  @Test
  void dropoutGradientsMatchFiniteDifferencesOfTheSameMask() {
    ModelConfig config =
        Fixtures.config(CROSS_ENTROPY, 0.2f, 8, TANH, 0.4f, 6, SIGMOID, 0.3f, 3, SOFTMAX);
    float[] x = Fixtures.uniform(ROWS * INPUTS, 21, 1f);
    float[] t = Fixtures.targets(CROSS_ENTROPY, ROWS, 3, 22);
    long[] ids = Fixtures.ids(100, ROWS);
    try (Network net = Network.create(config, INPUTS, CPU)) {
      net.forwardBackward(x, t, ROWS, ids, 3, 1f);
      float[] analytic = net.gradients().clone();
      float[] p = net.parameters();
      float eps = 1e-2f;
      for (int i = 0; i < p.length; i++) {
        float keep = p[i];
        p[i] = keep + eps;
        double up = net.forwardBackward(x, t, ROWS, ids, 3, 1f);
        p[i] = keep - eps;
        double down = net.forwardBackward(x, t, ROWS, ids, 3, 1f);
        p[i] = keep;
        double numeric = (up - down) / (2 * eps);
        assertThat((double) analytic[i])
            .as("gradient %d", i)
            .isCloseTo(numeric, within(5e-3, numeric * 4));
      }
    }
  }

  @Test
  void dropoutZeroesSomeUnitsAndScalesTheRest() {
    ModelConfig config = Fixtures.config(MSE, 0.5f, 3, LINEAR);
    float[] x = new float[64 * INPUTS];
    java.util.Arrays.fill(x, 1f);
    try (Network net = Network.create(config, INPUTS, CPU)) {
      float[] noDrop = new float[64 * 3];
      net.predict(x, 64, noDrop);
      net.forwardBackward(x, new float[64 * 3], 64, Fixtures.ids(0, 64), 0, 1f);
      float[] trained = new float[64 * 3];
      net.readOutputs(trained);
      assertThat(trained).isNotEqualTo(noDrop);
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double abs, double value) {
    return org.assertj.core.data.Offset.offset(abs + 2e-3 * Math.abs(value));
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
