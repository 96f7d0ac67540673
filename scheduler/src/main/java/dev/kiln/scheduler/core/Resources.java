package dev.kiln.scheduler.core;

/**
 * A non-negative amount of the three resources the scheduler accounts for.
 *
 * @param milliCpu CPU in millicores
 * @param memoryBytes memory in bytes
 * @param gpus whole GPUs ({@code nvidia.com/gpu})
 */
public record Resources(long milliCpu, long memoryBytes, int gpus) {
  public static final Resources ZERO = new Resources(0, 0, 0);

  private static final long GIB = 1L << 30;

  public Resources {
    if (milliCpu < 0 || memoryBytes < 0 || gpus < 0) {
      throw new IllegalArgumentException(
          "resources must not be negative: cpu="
              + milliCpu
              + "m memory="
              + memoryBytes
              + " gpu="
              + gpus);
    }
  }

  /** Whole CPUs, GiB of memory and GPUs: the shape most callers think in. */
  public static Resources of(double cpus, long memoryGib, int gpus) {
    return new Resources(Math.round(cpus * 1000), memoryGib * GIB, gpus);
  }

  public Resources plus(Resources o) {
    return new Resources(milliCpu + o.milliCpu, memoryBytes + o.memoryBytes, gpus + o.gpus);
  }

  /** Subtraction that fails loudly: a negative amount here is always an accounting bug. */
  public Resources minus(Resources o) {
    return new Resources(milliCpu - o.milliCpu, memoryBytes - o.memoryBytes, gpus - o.gpus);
  }

  public Resources times(int n) {
    return new Resources(milliCpu * n, memoryBytes * n, gpus * n);
  }

  /** True when every dimension of this is at most the same dimension of {@code limit}. */
  public boolean fitsIn(Resources limit) {
    return milliCpu <= limit.milliCpu && memoryBytes <= limit.memoryBytes && gpus <= limit.gpus;
  }

  @Override
  public String toString() {
    return Quantities.describe(this);
  }
}
