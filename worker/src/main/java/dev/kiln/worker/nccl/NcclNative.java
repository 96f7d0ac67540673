package dev.kiln.worker.nccl;

/**
 * The JNI entry points of {@code libkilnnccl.so} ({@code src/main/c/kiln_nccl.c}): handles are
 * {@code long}s, every failure is thrown as {@link NcclException}. Only {@link Nccl} and the
 * classes of this package call these, after {@link NativeLoader} has loaded the library.
 */
final class NcclNative {
  private NcclNative() {}

  /** dlopens the first of {@code candidates} that loads; returns it, or null if already loaded. */
  static native String loadNccl(String[] candidates);

  /** dlopens the CUDA driver ({@code libcuda.so.1}). */
  static native void loadCuda();

  static native int version();

  static native byte[] uniqueId();

  static native long commInitRank(int nranks, byte[] uniqueId, int rank);

  static native void allReduce(
      long comm, long send, long recv, long count, int dataType, int op, long stream);

  static native void broadcast(
      long comm, long send, long recv, long count, int dataType, int root, long stream);

  /** The communicator's asynchronous error, or null while it is healthy. */
  static native String asyncError(long comm);

  static native void commAbort(long comm);

  static native void commDestroy(long comm);

  static native int deviceCount();

  /** Retains device {@code device}'s primary context and makes it current; returns it. */
  static native long retainContext(int device);

  static native void releaseContext(int device);

  static native void setCurrent(long context);

  static native long memAlloc(long bytes);

  static native void memFree(long pointer);

  /** Copies from a {@code float[]} or {@code byte[]}, starting {@code byteOffset} bytes in. */
  static native void copyToDevice(long device, Object src, long byteOffset, long bytes);

  static native void copyToHost(Object dst, long byteOffset, long bytes, long device);

  static native long streamCreate();

  static native void streamSynchronize(long stream);

  static native void streamDestroy(long stream);
}
