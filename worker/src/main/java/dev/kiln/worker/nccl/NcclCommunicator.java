package dev.kiln.worker.nccl;

/**
 * One rank's NCCL communicator on one GPU, with its own stream. Device-pointer operations enqueue
 * on that stream and return once the stream has finished them; {@link #abort} tears the group down
 * so that peers fail instead of hanging. Not thread-safe. Fails fast after close or abort.
 */
public final class NcclCommunicator implements AutoCloseable {
  private final int nranks;
  private final int rank;
  private final int device;
  private final long context;
  private volatile long comm;
  private long stream;

  NcclCommunicator(int nranks, byte[] uniqueId, int rank, int device) {
    this.nranks = nranks;
    this.rank = rank;
    this.device = device;
    this.context = NcclNative.retainContext(device);
    try {
      this.stream = NcclNative.streamCreate();
      this.comm = NcclNative.commInitRank(nranks, uniqueId, rank);
    } catch (NcclException e) {
      if (stream != 0) {
        NcclNative.streamDestroy(stream);
      }
      NcclNative.releaseContext(device);
      throw e;
    }
  }

  public int rank() {
    return rank;
  }

  public int size() {
    return nranks;
  }

  public int device() {
    return device;
  }

  /** Device memory on this communicator's GPU. */
  public DeviceArray allocate(long bytes) {
    current();
    return new DeviceArray(context, bytes);
  }

  /** All-reduces {@code count} elements at {@code send} into {@code recv} (may be the same). */
  public void allReduce(long send, long recv, long count, Nccl.DataType type, Nccl.Op op) {
    current();
    NcclNative.allReduce(comm, send, recv, count, type.code, op.code, stream);
    NcclNative.streamSynchronize(stream);
  }

  /**
   * Copies {@code count} elements of rank {@code root}'s {@code send} into every rank's {@code
   * recv}.
   */
  public void broadcast(long send, long recv, long count, Nccl.DataType type, int root) {
    if (root < 0 || root >= nranks) {
      throw new IllegalArgumentException("root " + root + " of " + nranks + " ranks");
    }
    current();
    NcclNative.broadcast(comm, send, recv, count, type.code, root, stream);
    NcclNative.streamSynchronize(stream);
  }

  /** The communicator's asynchronous error (a peer failed, a network error), or null. */
  public String asyncError() {
    return comm == 0 ? null : NcclNative.asyncError(comm);
  }

  /**
   * Aborts the communicator: pending and later operations of every rank fail. Safe to call from
   * another thread while an operation waits (that is what it is for); the stream and context are
   * left to the process's exit, since the waiting thread may still hold them.
   */
  public synchronized void abort() {
    if (comm != 0) {
      long c = comm;
      comm = 0;
      NcclNative.commAbort(c);
    }
  }

  private void current() {
    if (comm == 0) {
      throw new IllegalStateException("NCCL communicator used after close or abort");
    }
    NcclNative.setCurrent(context);
  }

  private void release() {
    NcclNative.streamDestroy(stream);
    NcclNative.releaseContext(device);
  }

  @Override
  public synchronized void close() {
    if (comm != 0) {
      long c = comm;
      comm = 0;
      NcclNative.setCurrent(context);
      NcclNative.commDestroy(c);
      release();
    }
  }
}
