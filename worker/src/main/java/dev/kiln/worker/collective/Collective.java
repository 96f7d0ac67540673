package dev.kiln.worker.collective;

/**
 * Collective operations among the ranks of one gang: every rank calls the same operations in the
 * same order with arrays of the same length.
 *
 * <p>Results are deterministic: each backend reduces every element in a fixed order, so the same
 * inputs on the same rank count give bit-identical outputs on every rank. A failed operation (a
 * peer died, hung, or refused) throws {@link CollectiveException} naming the peer; the collective
 * is unusable afterwards.
 */
public interface Collective extends AutoCloseable {

  /** This process's rank in [0, worldSize). */
  int rank();

  /** Number of ranks. */
  int worldSize();

  /** The backend's name, as chosen in {@link Collectives#open}. */
  String backend();

  /**
   * Reduces {@code data} element-wise across all ranks, in place, leaving the result everywhere.
   */
  void allReduce(float[] data, ReduceOp op);

  /** Copies {@code data} of rank {@code root} into {@code data} of every other rank. */
  void broadcast(float[] data, int root);

  /** Returns once every rank has entered the barrier. */
  void barrier();

  /** Why the group failed (a peer died, hung or aborted), or null while it is healthy. */
  String failure();

  /** Payload bytes this rank has sent to its peers so far (all operations). */
  long bytesSent();

  /** Leaves the group gracefully; peers are told this rank left on purpose. */
  @Override
  void close();

  /** Tears the group down now: every peer fails its current and next operation with the reason. */
  void abort(String reason);
}
