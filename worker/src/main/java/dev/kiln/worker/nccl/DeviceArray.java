package dev.kiln.worker.nccl;

/**
 * Device memory for {@link NcclCommunicator}'s host-array operations, with copies to and from Java
 * arrays. Fails fast after {@link #close()}.
 */
public final class DeviceArray implements AutoCloseable {
  private final long context;
  private final long bytes;
  private long pointer;

  /** Allocates on {@code context}'s device; every call makes that context current first. */
  DeviceArray(long context, long bytes) {
    this.context = context;
    this.bytes = bytes;
    NcclNative.setCurrent(context);
    this.pointer = NcclNative.memAlloc(Math.max(bytes, 1));
  }

  /** The device address, for the communicator's device-pointer operations. */
  public long pointer() {
    if (pointer == 0) {
      throw new IllegalStateException("device array used after close");
    }
    return pointer;
  }

  public long bytes() {
    return bytes;
  }

  /** Copies {@code count} floats of {@code src} from {@code offset} to the start of this array. */
  public void upload(float[] src, int offset, int count) {
    check(src.length, offset, count, 4);
    NcclNative.setCurrent(context);
    NcclNative.copyToDevice(pointer(), src, (long) offset * 4, (long) count * 4);
  }

  /**
   * Copies {@code count} floats from the start of this array into {@code dst} at {@code offset}.
   */
  public void download(float[] dst, int offset, int count) {
    check(dst.length, offset, count, 4);
    NcclNative.setCurrent(context);
    NcclNative.copyToHost(dst, (long) offset * 4, (long) count * 4, pointer());
  }

  /** Copies raw bytes in (e.g. bf16 values). */
  public void upload(byte[] src) {
    check(src.length, 0, src.length, 1);
    NcclNative.setCurrent(context);
    NcclNative.copyToDevice(pointer(), src, 0, src.length);
  }

  /** Copies raw bytes out. */
  public void download(byte[] dst) {
    check(dst.length, 0, dst.length, 1);
    NcclNative.setCurrent(context);
    NcclNative.copyToHost(dst, 0, dst.length, pointer());
  }

  private void check(int arrayLength, int offset, int count, int width) {
    if (offset < 0 || count < 0 || offset + count > arrayLength) {
      throw new IndexOutOfBoundsException(
          "[" + offset + ", " + (offset + count) + ") of an array of " + arrayLength);
    }
    if ((long) count * width > bytes) {
      throw new IllegalArgumentException(
          (long) count * width + " bytes do not fit a device array of " + bytes);
    }
  }

  @Override
  public void close() {
    if (pointer != 0) {
      NcclNative.setCurrent(context);
      NcclNative.memFree(pointer);
      pointer = 0;
    }
  }
}
