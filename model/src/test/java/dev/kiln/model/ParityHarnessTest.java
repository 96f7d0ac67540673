package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** The CPU half of the parity harness: it runs everywhere and its reference side is sound. */
class ParityHarnessTest {

  @Test
  void cpuForwardMatchesTheDoublePrecisionReference() {
    ModelConfig config = ParityHarness.classifier(OptimizerConfig.sgd(0.05f, 0.9f));
    try (ComputeBackend cpu = new CpuBackend(2)) {
      float[] out = ParityHarness.forward(cpu, config);
      ParameterLayout layout = new ParameterLayout(config, ParityHarness.INPUTS);
      float[] p = Network.initialParameters(config, layout);
      double[] pd = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        pd[i] = p[i];
      }
      double[] ref =
          ReferenceMlp.forward(
              config, ParityHarness.INPUTS, pd, ParityHarness.inputs(), ParityHarness.ROWS);
      float[] reff = new float[ref.length];
      for (int i = 0; i < ref.length; i++) {
        reff[i] = (float) ref[i];
      }
      assertThat(ParityHarness.relativeError(reff, out)).isLessThan(ParityHarness.TOLERANCE);
    }
  }

  @Test
  void cpuBackwardAndFullRunsAreFiniteAndRepeatable() {
    for (ModelConfig config :
        new ModelConfig[] {
          ParityHarness.classifier(OptimizerConfig.sgd(0.05f, 0.9f)),
          ParityHarness.classifier(OptimizerConfig.adam(0.003f)),
          ParityHarness.withLoss(LossFunction.MSE),
          ParityHarness.withLoss(LossFunction.BINARY_CROSS_ENTROPY)
        }) {
      try (ComputeBackend one = new CpuBackend(1);
          ComputeBackend two = new CpuBackend(2)) {
        float[] g = ParityHarness.backward(one, config);
        assertThat(ParityHarness.relativeError(g, ParityHarness.backward(two, config))).isZero();
        float[] run = ParityHarness.fullRun(one, config);
        assertThat(ParityHarness.relativeError(run, ParityHarness.fullRun(two, config))).isZero();
        float[] start =
            Network.initialParameters(config, new ParameterLayout(config, ParityHarness.INPUTS));
        assertThat(ParityHarness.relativeError(start, run)).isGreaterThan(ParityHarness.TOLERANCE);
      }
    }
  }

  @Test
  void relativeErrorIsNormWiseAndCatchesNonFiniteValues() {
    float[] ref = {1000f, -2f, 0f};
    assertThat(ParityHarness.relativeError(ref, new float[] {1000.05f, -2f, 0f}))
        .isLessThan(ParityHarness.TOLERANCE);
    assertThat(ParityHarness.relativeError(ref, new float[] {1000f, -2.5f, 0f}))
        .isGreaterThan(ParityHarness.TOLERANCE);
    assertThat(ParityHarness.relativeError(ref, new float[] {1000f, Float.NaN, 0f})).isInfinite();
  }
}
