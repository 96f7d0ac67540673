package dev.kiln.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackendProvider;
import dev.kiln.model.compute.ComputeBackends;
import dev.kiln.model.compute.cpu.CpuBackend;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CUDA against the CPU through {@link ParityHarness}: forward, backward and a full run within 1e-4
 * relative. Skipped, with the reason printed, where there is no usable GPU.
 */
class CudaParityTest {
  private static String unavailable;

  @BeforeAll
  static void probe() {
    unavailable =
        ComputeBackends.providers().stream()
            .filter(p -> p.name().equals("cuda"))
            .map(ComputeBackendProvider::unavailableReason)
            .findFirst()
            .orElse("no cuda provider is registered");
    if (!unavailable.isEmpty()) {
      System.out.println("CudaParityTest skipped: no GPU here: " + unavailable);
    }
  }

  private static void compare(
      String what, ModelConfig config, BiFunction<ComputeBackend, ModelConfig, float[]> run) {
    Assumptions.assumeTrue(unavailable.isEmpty(), () -> "no GPU here: " + unavailable);
    float[] cpu;
    try (ComputeBackend b = new CpuBackend(2)) {
      cpu = run.apply(b, config);
    }
    float[] cuda;
    try (ComputeBackend b = ComputeBackends.create("cuda", 1)) {
      cuda = run.apply(b, config);
    }
    double err = ParityHarness.relativeError(cpu, cuda);
    System.out.printf("parity %s %s: relative error %.3g%n", what, config.loss(), err);
    assertThat(err).as(what).isLessThan(ParityHarness.TOLERANCE);
  }

  @Test
  void forwardMatchesTheCpu() {
    compare("forward", ParityHarness.classifier(OptimizerConfig.sgd(0.05f, 0.9f)), forward());
  }

  @Test
  void backwardMatchesTheCpuForEveryLoss() {
    compare("backward", ParityHarness.classifier(OptimizerConfig.sgd(0.05f, 0.9f)), backward());
    compare("backward", ParityHarness.withLoss(LossFunction.MSE), backward());
    compare("backward", ParityHarness.withLoss(LossFunction.BINARY_CROSS_ENTROPY), backward());
  }

  @Test
  void fullSgdAndAdamRunsMatchTheCpu() {
    compare("sgd run", ParityHarness.classifier(OptimizerConfig.sgd(0.05f, 0.9f)), fullRun());
    compare("adam run", ParityHarness.classifier(OptimizerConfig.adam(0.003f)), fullRun());
    compare("adam run", ParityHarness.withLoss(LossFunction.MSE), fullRun());
  }

  private static BiFunction<ComputeBackend, ModelConfig, float[]> forward() {
    return ParityHarness::forward;
  }

  private static BiFunction<ComputeBackend, ModelConfig, float[]> backward() {
    return ParityHarness::backward;
  }

  private static BiFunction<ComputeBackend, ModelConfig, float[]> fullRun() {
    return ParityHarness::fullRun;
  }
}
