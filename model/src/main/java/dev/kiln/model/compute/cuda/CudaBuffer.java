package dev.kiln.model.compute.cuda;

import static jcuda.driver.JCudaDriver.cuMemFree;

import dev.kiln.model.compute.DeviceBuffer;
import jcuda.driver.CUdeviceptr;

/** Floats in device memory; slices are views that share their parent's allocation. */
final class CudaBuffer implements DeviceBuffer {
  private final CudaBackend owner;
  private final CUdeviceptr pointer;
  private final int length;
  private final boolean allocation;
  private boolean closed;

  CudaBuffer(CudaBackend owner, CUdeviceptr pointer, int length, boolean allocation) {
    this.owner = owner;
    this.pointer = pointer;
    this.length = length;
    this.allocation = allocation;
  }

  /** The device address, failing fast once the memory is freed. */
  CUdeviceptr pointer() {
    if (closed) {
      throw new IllegalStateException("CUDA buffer used after close");
    }
    return pointer;
  }

  CudaBackend owner() {
    return owner;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public DeviceBuffer slice(int offset, int len) {
    if (offset < 0 || len < 0 || offset + len > length) {
      throw new IndexOutOfBoundsException(
          "slice [" + offset + ", " + (offset + len) + ") of a buffer of " + length + " floats");
    }
    return new CudaBuffer(owner, pointer().withByteOffset((long) offset * Float.BYTES), len, false);
  }

  @Override
  public void close() {
    if (allocation && !closed) {
      owner.device().makeCurrent();
      cuMemFree(pointer);
    }
    closed = true;
  }
}
