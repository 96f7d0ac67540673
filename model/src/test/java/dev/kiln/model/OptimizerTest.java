package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.HostBuffer;
import dev.kiln.model.compute.cpu.CpuBackend;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  private static final ComputeBackend CPU = new CpuBackend(2);
  private static final Offset<Float> CLOSE = Offset.offset(1e-6f);

  @AfterAll
  static void close() {
    CPU.close();
  }

  private static float[] run(OptimizerConfig config, float[] p, float[][] grads, float lr) {
    float[] params = p.clone();
    try (Optimizer opt = Optimizer.create(config, CPU, params.length)) {
      for (float[] g : grads) {
        opt.step(HostBuffer.of(params), HostBuffer.of(g.clone()), lr);
      }
    }
    return params;
  }

  @Test
  void plainSgdSubtractsTheScaledGradient() {
    OptimizerConfig c = OptimizerConfig.sgd(0.1f, 0f);
    float[] out = run(c, new float[] {1f, -2f}, new float[][] {{0.5f, 1f}}, 0.1f);
    assertThat(out[0]).isCloseTo(0.95f, CLOSE);
    assertThat(out[1]).isCloseTo(-2.1f, CLOSE);
  }

  @Test
  void sgdMomentumAccumulatesVelocityAsPyTorch() {
    OptimizerConfig c = OptimizerConfig.sgd(0.1f, 0.9f);
    // v1 = 1, p = 1 - 0.1 = 0.9; v2 = 0.9*1 + 2 = 2.9, p = 0.9 - 0.29 = 0.61
    float[] out = run(c, new float[] {1f}, new float[][] {{1f}, {2f}}, 0.1f);
    assertThat(out[0]).isCloseTo(0.61f, CLOSE);
  }

  @Test
  void nesterovLooksAhead() {
    OptimizerConfig c =
        new OptimizerConfig(OptimizerConfig.Type.SGD, 0.1f, 0.5f, true, 0f, 0.9f, 0.999f, 1e-8f);
    // v1 = 1, d = 1 + 0.5*1 = 1.5 -> 0.85; v2 = 0.5 + 1 = 1.5, d = 1 + 0.75 -> 0.85 - 0.175
    float[] out = run(c, new float[] {1f}, new float[][] {{1f}, {1f}}, 0.1f);
    assertThat(out[0]).isCloseTo(0.675f, CLOSE);
  }

  @Test
  void sgdWeightDecayAddsL2ToTheGradient() {
    OptimizerConfig c =
        new OptimizerConfig(OptimizerConfig.Type.SGD, 0.1f, 0f, false, 0.5f, 0.9f, 0.999f, 1e-8f);
    float[] out = run(c, new float[] {2f}, new float[][] {{0f}}, 0.1f);
    assertThat(out[0]).isCloseTo(1.9f, CLOSE);
  }

  @Test
  void adamFollowsTheBiasCorrectedMoments() {
    OptimizerConfig c = OptimizerConfig.adam(0.01f);
    float[][] grads = {{0.5f, -3f}, {0.1f, -1f}, {0.2f, 4f}};
    float[] out = run(c, new float[] {1f, 1f}, grads, 0.01f);
    for (int i = 0; i < 2; i++) {
      double m = 0;
      double v = 0;
      double p = 1;
      for (int t = 1; t <= 3; t++) {
        double g = grads[t - 1][i];
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        p -= 0.01 * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
      }
      assertThat(out[i]).isCloseTo((float) p, Offset.offset(1e-5f));
    }
  }

  @Test
  void adamWeightDecayIsDecoupled() {
    OptimizerConfig c =
        new OptimizerConfig(OptimizerConfig.Type.ADAM, 0.1f, 0f, false, 0.5f, 0.9f, 0.999f, 1e-8f);
    float[] out = run(c, new float[] {2f}, new float[][] {{0f}}, 0.1f);
    assertThat(out[0]).isCloseTo(2f - 0.1f * 0.5f * 2f, CLOSE);
  }

  @Test
  void resumingFromExportedStateIsBitIdentical() {
    for (OptimizerConfig c :
        new OptimizerConfig[] {OptimizerConfig.sgd(0.05f, 0.9f), OptimizerConfig.adam(0.01f)}) {
      float[][] grads = new float[6][];
      for (int s = 0; s < 6; s++) {
        grads[s] = Fixtures.uniform(1000, s, 1f);
      }
      float[] start = Fixtures.uniform(1000, 99, 1f);
      float[] straight = run(c, start, grads, 0.05f);

      float[] p = start.clone();
      OptimizerState saved;
      try (Optimizer first = Optimizer.create(c, CPU, p.length)) {
        for (int s = 0; s < 3; s++) {
          first.step(HostBuffer.of(p), HostBuffer.of(grads[s]), 0.05f);
        }
        saved = first.exportState();
      }
      assertThat(saved.steps()).isEqualTo(3);
      try (Optimizer resumed = Optimizer.create(c, CPU, p.length)) {
        resumed.importState(saved);
        for (int s = 3; s < 6; s++) {
          resumed.step(HostBuffer.of(p), HostBuffer.of(grads[s]), 0.05f);
        }
      }
      assertThat(p).as(c.type().specName()).isEqualTo(straight);
    }
  }

  @Test
  void importRejectsStateOfAnotherOptimizer() {
    try (Optimizer sgd = Optimizer.create(OptimizerConfig.sgd(0.1f, 0.9f), CPU, 4);
        Optimizer adam = Optimizer.create(OptimizerConfig.adam(0.1f), CPU, 4)) {
      assertThatThrownBy(() -> adam.importState(sgd.exportState()))
          .hasMessageContaining("checkpoint holds sgd state, optimizer is adam");
    }
  }
}
