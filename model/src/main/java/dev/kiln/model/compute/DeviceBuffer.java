package dev.kiln.model.compute;

/**
 * A run of floats owned by a {@link ComputeBackend}: host memory for the CPU backend, device memory
 * for an accelerator. Only the backend that made a buffer may compute with it.
 */
public interface DeviceBuffer extends AutoCloseable {

  /** Number of floats in this buffer (or view). */
  int length();

  /** A view of {@code length} floats starting at {@code offset}, sharing storage with this one. */
  DeviceBuffer slice(int offset, int length);

  /** Releases device memory; a no-op for host memory. Views must not outlive their parent. */
  @Override
  void close();
}
