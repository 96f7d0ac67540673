package dev.kiln.model;

import static dev.kiln.model.Activation.RELU;
import static dev.kiln.model.Activation.SOFTMAX;
import static dev.kiln.model.Activation.TANH;
import static dev.kiln.model.LossFunction.CROSS_ENTROPY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {
  private static final int F = 40;

  private static ModelConfig model() {
    return Fixtures.configWith(
        CROSS_ENTROPY,
        OptimizerConfig.sgd(0.05f, 0.9f),
        5L,
        70,
        RELU,
        0.25f,
        33,
        TANH,
        10,
        SOFTMAX);
  }

  /** Weights after a few SGD steps on {@code rows}-sample batches, on {@code threads} threads. */
  private static float[] train(int threads, String kernels) {
    String old = System.getProperty("kiln.cpu.kernels", "");
    System.setProperty("kiln.cpu.kernels", kernels);
    try (ComputeBackend cpu = new CpuBackend(threads);
        Network net = Network.create(model(), F, cpu);
        Optimizer opt = Optimizer.create(model().optimizer(), net)) {
      float[] x = Fixtures.uniform(96 * F, 1, 2f);
      float[] y = Fixtures.targets(CROSS_ENTROPY, 96, 10, 2);
      for (int step = 0; step < 5; step++) {
        net.forwardBackward(x, y, 96, Fixtures.ids(step * 96, 96), step, 1f / 96);
        opt.step(net, 0.05f);
      }
      return net.parameters().clone();
    } finally {
      System.setProperty("kiln.cpu.kernels", old);
    }
  }

  @Test
  void trainingIsBitIdenticalAcrossThreadCountsAndKernels() {
    float[] reference = train(1, "");
    assertThat(train(2, "")).isEqualTo(reference);
    assertThat(train(3, "")).isEqualTo(reference);
    assertThat(train(2, "java")).isEqualTo(reference);
  }

  @Test
  void twoRanksWithHalfBatchesMatchOneRankWithTheWholeBatch() {
    ModelConfig config = model();
    int rows = 64;
    float[] x = Fixtures.uniform(rows * F, 3, 1f);
    float[] y = Fixtures.targets(CROSS_ENTROPY, rows, 10, 4);
    long[] ids = Fixtures.ids(1000, rows);
    try (ComputeBackend cpu = new CpuBackend(2);
        Network whole = Network.create(config, F, cpu);
        Network rank0 = Network.create(config, F, cpu);
        Network rank1 = Network.create(config, F, cpu)) {
      float loss = whole.forwardBackward(x, y, rows, ids, 2, 1f / rows);
      int half = rows / 2;
      float l0 =
          rank0.forwardBackward(
              java.util.Arrays.copyOfRange(x, 0, half * F),
              java.util.Arrays.copyOfRange(y, 0, half),
              half,
              java.util.Arrays.copyOfRange(ids, 0, half),
              2,
              1f / rows);
      float l1 =
          rank1.forwardBackward(
              java.util.Arrays.copyOfRange(x, half * F, rows * F),
              java.util.Arrays.copyOfRange(y, half, rows),
              half,
              java.util.Arrays.copyOfRange(ids, half, rows),
              2,
              1f / rows);
      assertThat((double) l0 + l1).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-4));
      float[] g = whole.gradients();
      for (int i = 0; i < g.length; i++) {
        float summed = rank0.gradients()[i] + rank1.gradients()[i];
        assertThat(summed).isCloseTo(g[i], org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void dropoutMasksFollowSampleIdsNotRowPositions() {
    ModelConfig config = model();
    float[] x = Fixtures.uniform(2 * F, 5, 1f);
    float[] y = {3, 7};
    float[] swappedX = new float[2 * F];
    System.arraycopy(x, F, swappedX, 0, F);
    System.arraycopy(x, 0, swappedX, F, F);
    try (ComputeBackend cpu = new CpuBackend(1);
        Network a = Network.create(config, F, cpu);
        Network b = Network.create(config, F, cpu)) {
      float la = a.forwardBackward(x, y, 2, new long[] {10, 11}, 0, 1f);
      float lb = b.forwardBackward(swappedX, new float[] {7, 3}, 2, new long[] {11, 10}, 0, 1f);
      assertThat(lb).isCloseTo(la, org.assertj.core.data.Offset.offset(1e-5f));
      float[] ga = a.gradients();
      for (int i = 0; i < ga.length; i++) {
        assertThat(b.gradients()[i]).isCloseTo(ga[i], org.assertj.core.data.Offset.offset(1e-6f));
      }
      float other = b.forwardBackward(x, y, 2, new long[] {10, 11}, 1, 1f);
      assertThat(other).as("another epoch draws other masks").isNotEqualTo(la);
    }
  }

  @Test
  void initializationIsSeededAndScaledByFanIn() {
    ModelConfig config = model();
    ParameterLayout layout = new ParameterLayout(config, F);
    float[] a = Network.initialParameters(config, layout);
    assertThat(Network.initialParameters(config, layout)).isEqualTo(a);
    ModelConfig other =
        Fixtures.configWith(
            CROSS_ENTROPY,
            OptimizerConfig.sgd(0.05f, 0.9f),
            6L,
            70,
            RELU,
            0.25f,
            33,
            TANH,
            10,
            SOFTMAX);
    assertThat(Network.initialParameters(other, layout)).isNotEqualTo(a);
    ParameterLayout.Tensor w0 = layout.weight(0);
    double sq = 0;
    for (int i = 0; i < w0.length(); i++) {
      sq += a[w0.offset() + i] * a[w0.offset() + i];
    }
    double std = Math.sqrt(sq / w0.length());
    assertThat(std).isCloseTo(Math.sqrt(2.0 / F), org.assertj.core.data.Offset.offset(0.03));
    ParameterLayout.Tensor b0 = layout.bias(0);
    for (int i = 0; i < b0.length(); i++) {
      assertThat(a[b0.offset() + i]).isZero();
    }
  }

  @Test
  void learnsASeparableProblem() {
    int rows = 512;
    int f = 8;
    SplittableRandom r = new SplittableRandom(9);
    float[] x = new float[rows * f];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      int label = r.nextInt(3);
      y[i] = label;
      for (int j = 0; j < f; j++) {
        x[i * f + j] = (float) (r.nextGaussian() * 0.5 + (j % 3 == label ? 1.5 : 0));
      }
    }
    ModelConfig config =
        Fixtures.configWith(CROSS_ENTROPY, OptimizerConfig.adam(0.01f), 1L, 16, RELU, 3, SOFTMAX);
    try (ComputeBackend cpu = new CpuBackend(2);
        Network net = Network.create(config, f, cpu);
        Optimizer opt = Optimizer.create(config.optimizer(), net)) {
      float first = net.forwardBackward(x, y, rows, null, 0, 1f / rows) / rows;
      for (int step = 0; step < 200; step++) {
        net.forwardBackward(x, y, rows, null, 0, 1f / rows);
        opt.step(net, 0.01f);
      }
      float last = net.forwardBackward(x, y, rows, null, 0, 1f / rows) / rows;
      float[] out = new float[rows * 3];
      net.readOutputs(out);
      assertThat(last).isLessThan(first / 5);
      assertThat(Metrics.correct(CROSS_ENTROPY, out, y, rows, 3)).isGreaterThan(rows * 95 / 100);
    }
  }

  @Test
  void evaluateComputesTheTrainingLossWithoutTouchingGradients() {
    ModelConfig config = Fixtures.config(CROSS_ENTROPY, 12, TANH, 4, SOFTMAX);
    float[] x = Fixtures.uniform(9 * F, 6, 1f);
    float[] y = Fixtures.targets(CROSS_ENTROPY, 9, 4, 7);
    try (ComputeBackend cpu = new CpuBackend(1);
        Network net = Network.create(config, F, cpu)) {
      float trained = net.forwardBackward(x, y, 9, null, 0, 1f);
      float[] grads = net.gradients().clone();
      float[] trainOut = new float[9 * 4];
      net.readOutputs(trainOut);
      float[] evalOut = new float[9 * 4];
      double loss = net.evaluate(x, y, 9, evalOut);
      assertThat(loss).isCloseTo(trained, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(evalOut).isEqualTo(trainOut);
      assertThat(net.gradients()).isEqualTo(grads);
    }
  }

  @Test
  void rejectsLabelsOutsideTheOutputLayer() {
    try (ComputeBackend cpu = new CpuBackend(1);
        Network net = Network.create(Fixtures.config(CROSS_ENTROPY, 4, RELU, 3, SOFTMAX), 2, cpu)) {
      assertThatThrownBy(() -> net.forwardBackward(new float[4], new float[] {0, 3}, 2, null, 0, 1))
          .hasMessageContaining("label 3.0 is not a class index in [0, 3)");
    }
  }

  @Test
  void predictIsSafeToCallFromManyThreads() throws Exception {
    try (ComputeBackend cpu = new CpuBackend(2);
        Network net = Network.create(model(), F, cpu)) {
      float[] x = Fixtures.uniform(33 * F, 8, 1f);
      float[] expected = new float[33 * 10];
      net.predict(x, 33, expected);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        java.util.List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
          futures.add(
              pool.submit(
                  () -> {
                    float[] out = new float[33 * 10];
                    net.predict(x, 33, out);
                    return out;
                  }));
        }
        for (java.util.concurrent.Future<float[]> f : futures) {
          assertThat(f.get()).isEqualTo(expected);
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
