package dev.kiln.worker.collective;

/** The collective of a gang of one: every operation is the identity. */
public final class SingleRankCollective implements Collective {
  private final PeerGroup group;
  private final String backend;

  public SingleRankCollective(PeerGroup group, String backend) {
    this.group = group;
    this.backend = backend;
  }

  @Override
  public int rank() {
    return 0;
  }

  @Override
  public int worldSize() {
    return 1;
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public void allReduce(float[] data, ReduceOp op) {
    group.checkUsable();
  }

  @Override
  public void broadcast(float[] data, int root) {
    if (root != 0) {
      throw new IllegalArgumentException("root " + root + " not in [0, 1)");
    }
    group.checkUsable();
  }

  @Override
  public void barrier() {
    group.checkUsable();
  }

  @Override
  public String failure() {
    return group.abortReason();
  }

  @Override
  public long bytesSent() {
    return 0;
  }

  @Override
  public void close() {
    group.close();
  }

  @Override
  public void abort(String reason) {
    group.abort(reason);
    group.close();
  }
}
