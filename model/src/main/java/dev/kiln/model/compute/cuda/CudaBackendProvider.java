package dev.kiln.model.compute.cuda;

import dev.kiln.model.compute.ComputeBackend;
import dev.kiln.model.compute.ComputeBackendProvider;

/**
 * Registers the {@code cuda} backend. It is available when JCuda is on the classpath, the NVIDIA
 * driver ({@code libcuda.so.1}) loads and at least one GPU is visible; otherwise {@link
 * #unavailableReason()} says which of those is missing. This class touches no JCuda type until a
 * probe runs, so it loads where JCuda is absent.
 *
 * <p>The device is {@code -Dkiln.cuda.device}, else {@code KILN_CUDA_DEVICE}, else 0.
 */
public final class CudaBackendProvider implements ComputeBackendProvider {
  private static volatile String reason;

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  @Override
  public String unavailableReason() {
    String r = reason;
    if (r == null) {
      r = probe();
      reason = r;
    }
    return r;
  }

  private static String probe() {
    try {
      Class.forName("jcuda.driver.JCudaDriver", false, CudaBackendProvider.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return "JCuda (org.jcuda:jcuda) is not on the classpath of this program";
    }
    return CudaDevice.probe();
  }

  @Override
  public ComputeBackend create(int threads) {
    String why = unavailableReason();
    if (!why.isEmpty()) {
      throw new IllegalStateException("compute backend 'cuda' is not available: " + why);
    }
    return new CudaBackend(CudaDevice.open(selectedDevice()), threads);
  }

  /** The device index this process uses. */
  public static int selectedDevice() {
    String v = System.getProperty("kiln.cuda.device");
    if (v == null || v.isBlank()) {
      v = System.getenv("KILN_CUDA_DEVICE");
    }
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "KILN_CUDA_DEVICE (or -Dkiln.cuda.device) must be a device index, got '" + v + "'");
    }
  }
}
