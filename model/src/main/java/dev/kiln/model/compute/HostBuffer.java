package dev.kiln.model.compute;

/** A {@link DeviceBuffer} that is a window on a plain Java array; host backends use these. */
public final class HostBuffer implements DeviceBuffer {
  private final float[] array;
  private final int offset;
  private final int length;

  private HostBuffer(float[] array, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > array.length) {
      throw new IndexOutOfBoundsException(
          "window [" + offset + ", " + (offset + length) + ") of " + array.length + " floats");
    }
    this.array = array;
    this.offset = offset;
    this.length = length;
  }

  /** A buffer over the whole array (no copy: writes show through). */
  public static HostBuffer of(float[] array) {
    return new HostBuffer(array, 0, array.length);
  }

  /** A buffer over {@code array[offset, offset+length)} (no copy). */
  public static HostBuffer of(float[] array, int offset, int length) {
    return new HostBuffer(array, offset, length);
  }

  /** The backing array. */
  public float[] array() {
    return array;
  }

  /** Where this window starts in {@link #array()}. */
  public int offset() {
    return offset;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public HostBuffer slice(int from, int len) {
    if (from < 0 || len < 0 || from + len > length) {
      throw new IndexOutOfBoundsException(
          "slice [" + from + ", " + (from + len) + ") of a buffer of " + length + " floats");
    }
    return new HostBuffer(array, offset + from, len);
  }

  @Override
  public void close() {}

  /** Casts a buffer made by a host backend, or says it was made elsewhere. */
  public static HostBuffer cast(DeviceBuffer buffer) {
    if (buffer instanceof HostBuffer) {
      return (HostBuffer) buffer;
    }
    throw new IllegalArgumentException(
        "buffer " + buffer.getClass().getName() + " does not live in host memory");
  }
}
