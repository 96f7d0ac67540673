package dev.kiln.model;

import static dev.kiln.model.Activation.RELU;
import static dev.kiln.model.Activation.SIGMOID;
import static dev.kiln.model.Activation.SOFTMAX;
import static dev.kiln.model.Activation.TANH;

import dev.kiln.model.compute.ComputeBackend;

/**
 * Runs the same seeded model and data on any {@link ComputeBackend} and returns what must agree
 * across backends: the forward pass, the gradients of one step, and the parameters after a short
 * training run. {@code CudaParityTest} holds CUDA to the CPU with it; {@code ParityHarnessTest}
 * runs its CPU half everywhere.
 */
final class ParityHarness {
  /** Norm-wise relative tolerance between backends: ‖a − b‖∞ / ‖b‖∞. */
  static final double TOLERANCE = 1e-4;

  static final int INPUTS = 50;
  // Not multiples of the GPU's 64-wide tiles, so edge handling is exercised.
  static final int ROWS = 77;
  static final int STEPS = 20;

  private ParityHarness() {}

  /** relu, dropout, tanh, sigmoid and a softmax output under cross entropy. */
  static ModelConfig classifier(OptimizerConfig optimizer) {
    return Fixtures.configWith(
        LossFunction.CROSS_ENTROPY,
        optimizer,
        11L,
        70,
        RELU,
        0.2f,
        48,
        TANH,
        33,
        SIGMOID,
        10,
        SOFTMAX);
  }

  /** A network for each of the other losses, to reach every loss kernel. */
  static ModelConfig withLoss(LossFunction loss) {
    Activation out = loss == LossFunction.BINARY_CROSS_ENTROPY ? SIGMOID : Activation.LINEAR;
    return Fixtures.configWith(loss, OptimizerConfig.adam(0.01f), 12L, 40, TANH, 24, RELU, 6, out);
  }

  static float[] inputs() {
    return Fixtures.uniform(ROWS * INPUTS, 3, 1.5f);
  }

  /** Inference outputs (no dropout) on {@link #inputs()}. */
  static float[] forward(ComputeBackend backend, ModelConfig config) {
    try (Network net = Network.create(config, INPUTS, backend)) {
      float[] out = new float[ROWS * net.outputWidth()];
      net.predict(inputs(), ROWS, out);
      return out;
    }
  }

  /** The gradients of one training step (with dropout), then the summed loss as the last value. */
  static float[] backward(ComputeBackend backend, ModelConfig config) {
    float[] t = Fixtures.targets(config.loss(), ROWS, config.outputWidth(), 4);
    try (Network net = Network.create(config, INPUTS, backend)) {
      float loss = net.forwardBackward(inputs(), t, ROWS, Fixtures.ids(0, ROWS), 0, 1f / ROWS);
      net.syncGradientsToHost();
      float[] g = net.gradients();
      float[] out = java.util.Arrays.copyOf(g, g.length + 1);
      out[g.length] = loss;
      return out;
    }
  }

  /** Parameters after {@link #STEPS} steps over shifting batches of {@link #inputs()}. */
  static float[] fullRun(ComputeBackend backend, ModelConfig config) {
    float[] x = inputs();
    float[] t = Fixtures.targets(config.loss(), ROWS, config.outputWidth(), 4);
    try (Network net = Network.create(config, INPUTS, backend);
        Optimizer opt = Optimizer.create(config.optimizer(), net)) {
      for (int step = 0; step < STEPS; step++) {
        net.forwardBackward(x, t, ROWS, Fixtures.ids(step * ROWS, ROWS), step, 1f / ROWS);
        opt.step(net, config.optimizer().learningRate());
      }
      net.syncParametersToHost();
      return net.parameters().clone();
    }
  }

  /** ‖actual − expected‖∞ / ‖expected‖∞ (0 when both are zero). */
  static double relativeError(float[] expected, float[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException(expected.length + " vs " + actual.length + " values");
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < expected.length; i++) {
      if (!Float.isFinite(actual[i])) {
        return Double.POSITIVE_INFINITY;
      }
      diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
      norm = Math.max(norm, Math.abs((double) expected[i]));
    }
    return norm == 0 ? diff : diff / norm;
  }
}
