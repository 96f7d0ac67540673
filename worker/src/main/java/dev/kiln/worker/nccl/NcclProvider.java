package dev.kiln.worker.nccl;

import dev.kiln.model.compute.cuda.CudaBackendProvider;
import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.CollectiveProvider;
import dev.kiln.worker.collective.Collectives;

/**
 * The {@code nccl} collective backend: available where Kiln's binding, NCCL and a GPU all load.
 * Each rank uses the GPU the cuda compute backend uses ({@code KILN_CUDA_DEVICE}, default 0).
 */
public final class NcclProvider implements CollectiveProvider {
  private static volatile String reason;

  @Override
  public String name() {
    return "nccl";
  }

  @Override
  public boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  @Override
  public String unavailableReason() {
    String r = reason;
    if (r == null) {
      r = Nccl.unavailableReason(System.getenv());
      reason = r;
    }
    return r;
  }

  @Override
  public Collective open(CollectiveConfig config) {
    Collective control = Collectives.open("tcp", config);
    try {
      return NcclCollective.open(control, CudaBackendProvider.selectedDevice());
    } catch (RuntimeException e) {
      control.abort("NCCL failed to start on rank " + config.rank() + ": " + e.getMessage());
      throw e;
    }
  }
}
