package dev.kiln.model.compute.cpu;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackendProvider;

/** Registers the {@code cpu} backend; it is always available. */
public final class CpuBackendProvider implements ComputeBackendProvider {

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public ComputeBackend create(int threads) {
    return new CpuBackend(threads);
  }
}
