package dev.kiln.worker.nccl;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.ReduceOp;

/**
 * The {@code nccl} collective: NCCL moves the data between GPUs, while a {@code tcp} collective
 * (rendezvous and control links) carries the unique id, barriers, heartbeats and failure reasons.
 * Host arrays are staged through device memory. A watchdog aborts the communicator as soon as the
 * control links report a failed peer, so no rank waits on NCCL forever.
 */
final class NcclCollective implements Collective {
  private final Collective control;
  private final NcclCommunicator comm;
  private final Thread watchdog;
  private DeviceArray staging;
  private long bytesSent;
  private volatile boolean closed;

  NcclCollective(Collective control, NcclCommunicator comm) {
    this.control = control;
    this.comm = comm;
    this.watchdog = new Thread(this::watch, "kiln-nccl-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Joins the gang: rank 0's unique id goes to every rank over {@code control}, then NCCL init. */
  static NcclCollective open(Collective control, int device) {
    byte[] id = control.rank() == 0 ? Nccl.uniqueId() : new byte[128];
    float[] wire = new float[id.length];
    for (int i = 0; i < id.length; i++) {
      wire[i] = id[i]; // one byte per float: exact, whatever the bits
    }
    control.broadcast(wire, 0);
    for (int i = 0; i < id.length; i++) {
      id[i] = (byte) wire[i];
    }
    NcclCommunicator comm = Nccl.communicator(control.worldSize(), id, control.rank(), device);
    return new NcclCollective(control, comm);
  }

  private void watch() {
    while (!closed) {
      String why = control.failure();
      if (why == null) {
        try {
          why = comm.asyncError();
        } catch (RuntimeException e) {
          why = e.getMessage();
        }
      }
      if (why != null) {
        comm.abort();
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public int rank() {
    return control.rank();
  }

  @Override
  public int worldSize() {
    return control.worldSize();
  }

  @Override
  public String backend() {
    return "nccl";
  }

  @Override
  public void allReduce(float[] data, ReduceOp op) {
    Nccl.Op nop = op == ReduceOp.AVG ? Nccl.Op.AVG : Nccl.Op.SUM;
    run(data, p -> comm.allReduce(p, p, data.length, Nccl.DataType.FLOAT32, nop), "all-reduce");
  }

  @Override
  public void broadcast(float[] data, int root) {
    run(data, p -> comm.broadcast(p, p, data.length, Nccl.DataType.FLOAT32, root), "broadcast");
  }

  private interface DeviceOp {
    void apply(long pointer);
  }

  private void run(float[] data, DeviceOp op, String what) {
    checkUsable();
    try {
      DeviceArray d = staging(data.length);
      d.upload(data, 0, data.length);
      op.apply(d.pointer());
      d.download(data, 0, data.length);
      bytesSent += 2L * (worldSize() - 1) * data.length * Float.BYTES / worldSize();
    } catch (NcclException | IllegalStateException e) {
      String peer = control.failure();
      throw new CollectiveException(
          "NCCL " + what + " failed: " + (peer != null ? peer : e.getMessage()), e);
    }
  }

  private DeviceArray staging(int floats) {
    long bytes = (long) floats * Float.BYTES;
    if (staging == null || staging.bytes() < bytes) {
      if (staging != null) {
        staging.close();
      }
      staging = comm.allocate(bytes);
    }
    return staging;
  }

  private void checkUsable() {
    String why = control.failure();
    if (why != null) {
      throw new CollectiveException(why);
    }
  }

  @Override
  public void barrier() {
    control.barrier();
  }

  @Override
  public String failure() {
    return control.failure();
  }

  @Override
  public long bytesSent() {
    return bytesSent + control.bytesSent();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
    try {
      if (staging != null) {
        staging.close();
      }
      comm.close();
    } finally {
      control.close();
    }
  }

  @Override
  public void abort(String reason) {
    closed = true;
    comm.abort();
    control.abort(reason);
  }
}
