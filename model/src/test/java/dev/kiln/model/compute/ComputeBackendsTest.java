package dev.kiln.model.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ComputeBackendsTest {

  @Test
  void findsTheCpuBackendThroughServiceLoader() {
    assertThat(ComputeBackends.providers())
        .extracting(ComputeBackendProvider::name)
        .contains("cpu");
    try (ComputeBackend cpu = ComputeBackends.create("cpu", 3)) {
      assertThat(cpu.name()).isEqualTo("cpu");
      assertThat(cpu.threads()).isEqualTo(3);
      assertThat(cpu.isHostMemory()).isTrue();
    }
  }

  @Test
  void refusesUnknownBackendsWithoutFallingBack() {
    assertThatThrownBy(() -> ComputeBackends.create("tpu", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no compute backend named 'tpu'")
        .hasMessageContaining("cpu, cuda");
    assertThatThrownBy(() -> ComputeBackends.create("cpu", 0)).hasMessageContaining("at least 1");
  }

  @Test
  void copiesBetweenHostArraysAndBuffers() {
    try (ComputeBackend cpu = ComputeBackends.create("cpu", 1)) {
      DeviceBuffer b = cpu.allocate(4);
      cpu.copyFromHost(new float[] {9, 1, 2, 3}, 1, b.slice(1, 3), 3);
      float[] out = new float[4];
      cpu.copyToHost(b, out, 0, 4);
      assertThat(out).containsExactly(0, 1, 2, 3);
    }
  }
}
