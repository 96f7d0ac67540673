package dev.kiln.worker.collective.tcp;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.PeerGroup;
import dev.kiln.worker.collective.ReduceOp;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.SocketChannel;

/**
 * Ring all-reduce over TCP: a reduce-scatter then an all-gather, each of N-1 steps, so every rank
 * sends 2(N-1)/N of the array whatever N is. Segments are cut in chunks and pipelined: a rank
 * forwards chunk k as soon as it has reduced it, while its sender thread still sends chunk k-1.
 *
 * <p>Deterministic: segment s is summed in the fixed ring order s, s+1, ..., s-1, on every run.
 */
final class TcpRingCollective implements Collective {
  private final PeerGroup group;
  private final SocketChannel left;
  private final SocketChannel right;
  private final String leftName;
  private final RingSender sender;
  private final Thread senderThread;
  private final ByteBuffer recvBuffer;
  private final FloatBuffer recvFloats;
  private final float[] scratch;
  private final int chunkFloats;
  private final NioRing nio;

  TcpRingCollective(PeerGroup group, SocketChannel left, SocketChannel right, int chunkBytes) {
    this.group = group;
    this.left = left;
    this.right = right;
    int n = group.worldSize();
    this.leftName = group.peer((group.rank() + n - 1) % n).describe();
    this.chunkFloats = chunkBytes / Float.BYTES;
    this.recvBuffer = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    this.recvFloats = recvBuffer.asFloatBuffer();
    this.scratch = new float[chunkFloats];
    if ("nio".equals(System.getenv("KILN_TCP_ENGINE"))) {
      try {
        this.nio = new NioRing(group, left, right, chunkBytes);
      } catch (java.io.IOException e) {
        throw new CollectiveException("cannot set up the ring: " + e, e);
      }
      this.sender = null;
      this.senderThread = null;
    } else {
      this.nio = null;
      this.sender =
          new RingSender(group, right, group.peer((group.rank() + 1) % n).describe(), chunkBytes);
      this.senderThread = new Thread(sender, "kiln-ring-sender");
      senderThread.setDaemon(true);
      senderThread.start();
    }
    group.onAbort(this::closeChannels);
  }

  @Override
  public int rank() {
    return group.rank();
  }

  @Override
  public int worldSize() {
    return group.worldSize();
  }

  @Override
  public String backend() {
    return "tcp";
  }

  @Override
  public String failure() {
    return group.abortReason();
  }

  @Override
  public long bytesSent() {
    return nio != null ? nio.bytesSent() : sender.bytesSent();
  }

  @Override
  public void allReduce(float[] data, ReduceOp op) {
    int n = worldSize();
    group.checkUsable();
    if (n == 1 || data.length == 0) {
      return;
    }
    group.beginOp("all-reduce of " + data.length + " floats");
    if (nio != null) {
      try {
        nioAllReduce(data, op);
      } finally {
        group.endOp();
      }
      return;
    }
    try {
      int r = rank();
      int steps = 2 * (n - 1);
      queueSegment(data, r);
      for (int u = 0; u < steps; u++) {
        int seg = Math.floorMod(r - u - 1, n);
        int from = segStart(data.length, n, seg);
        int to = segStart(data.length, n, seg + 1);
        boolean reduce = u < n - 1;
        for (int off = from; off < to; off += chunkFloats) {
          int len = Math.min(chunkFloats, to - off);
          receive(len);
          if (reduce) {
            recvFloats.get(0, scratch, 0, len);
            for (int i = 0; i < len; i++) {
              data[off + i] += scratch[i];
            }
          } else {
            recvFloats.get(0, data, off, len);
          }
          if (u + 1 < steps) {
            sender.send(data, off, len); // what we just received is what we send next step
          }
        }
      }
      sender.awaitDrained();
      if (op == ReduceOp.AVG) {
        for (int i = 0; i < data.length; i++) {
          data[i] /= n;
        }
      }
    } finally {
      group.endOp();
    }
  }

  private void nioAllReduce(float[] data, ReduceOp op) {
    int n = worldSize();
    nio.data(data);
    int from = segStart(data.length, n, rank());
    int to = segStart(data.length, n, rank() + 1);
    for (int off = from; off < to; off += chunkFloats) {
      nio.send(data, off, Math.min(chunkFloats, to - off));
    }
    RingPass pass = new RingPass(data);
    nio.run(pass, pass);
    if (op == ReduceOp.AVG) {
      for (int i = 0; i < data.length; i++) {
        data[i] /= n;
      }
    }
  }

  private void nioBroadcast(float[] data, int root) {
    nio.data(data);
    boolean isRoot = rank() == root;
    boolean forward = (rank() + 1) % worldSize() != root;
    if (isRoot) {
      for (int off = 0; off < data.length; off += chunkFloats) {
        nio.send(data, off, Math.min(chunkFloats, data.length - off));
      }
    }
    int[] at = {-chunkFloats};
    NioRing.Schedule all =
        new NioRing.Schedule() {
          @Override
          public boolean next() {
            at[0] += chunkFloats;
            return !isRoot && at[0] < data.length;
          }

          @Override
          public int offset() {
            return at[0];
          }

          @Override
          public int length() {
            return Math.min(chunkFloats, data.length - at[0]);
          }
        };
    nio.run(
        all,
        (in, off, floats) -> {
          in.get(0, data, off, floats);
          return forward;
        });
  }

  /**
   * The receive schedule of one all-reduce: step u brings segment (r - u - 1) mod N in chunks; the
   * first N-1 steps reduce it into the array, the rest copy it; all but the last step forward it.
   */
  private final class RingPass implements NioRing.Schedule, NioRing.ChunkSink {
    private final float[] data;
    private final int n = worldSize();
    private final int steps = 2 * (n - 1);
    private int u = -1;
    private int off;
    private int to;
    private int chunk;

    RingPass(float[] data) {
      this.data = data;
    }

    @Override
    public boolean next() {
      if (u >= 0 && off + chunk < to) {
        off += chunk;
      } else {
        do {
          if (++u >= steps) {
            return false;
          }
          int seg = Math.floorMod(rank() - u - 1, n);
          off = segStart(data.length, n, seg);
          to = segStart(data.length, n, seg + 1);
        } while (off >= to);
      }
      chunk = Math.min(chunkFloats, to - off);
      return true;
    }

    @Override
    public int offset() {
      return off;
    }

    @Override
    public int length() {
      return chunk;
    }

    @Override
    public boolean accept(FloatBuffer in, int at, int floats) {
      if (u < n - 1) {
        in.get(0, scratch, 0, floats);
        for (int i = 0; i < floats; i++) {
          data[at + i] += scratch[i];
        }
      } else {
        in.get(0, data, at, floats);
      }
      return u + 1 < steps;
    }
  }

  @Override
  public void broadcast(float[] data, int root) {
    int n = worldSize();
    if (root < 0 || root >= n) {
      throw new IllegalArgumentException("root " + root + " not in [0, " + n + ")");
    }
    group.checkUsable();
    if (n == 1 || data.length == 0) {
      return;
    }
    group.beginOp("broadcast of " + data.length + " floats from rank " + root);
    if (nio != null) {
      try {
        nioBroadcast(data, root);
      } finally {
        group.endOp();
      }
      return;
    }
    try {
      boolean forward = (rank() + 1) % n != root;
      for (int off = 0; off < data.length; off += chunkFloats) {
        int len = Math.min(chunkFloats, data.length - off);
        if (rank() != root) {
          receive(len);
          recvFloats.get(0, data, off, len);
        }
        if (rank() == root || forward) {
          sender.send(data, off, len);
        }
      }
      sender.awaitDrained();
    } finally {
      group.endOp();
    }
  }

  @Override
  public void barrier() {
    allReduce(new float[1], ReduceOp.SUM);
  }

  @Override
  public void close() {
    if (nio != null) {
      nio.close();
    } else if (group.abortReason() == null) {
      sender.stop();
      try {
        senderThread.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeChannels();
    group.close();
  }

  @Override
  public void abort(String reason) {
    group.abort("rank " + rank() + " aborted: " + reason);
    close();
  }

  private void queueSegment(float[] data, int seg) {
    int n = worldSize();
    int from = segStart(data.length, n, seg);
    int to = segStart(data.length, n, seg + 1);
    for (int off = from; off < to; off += chunkFloats) {
      sender.send(data, off, Math.min(chunkFloats, to - off));
    }
  }

  private void receive(int floats) {
    recvBuffer.clear().limit(floats * Float.BYTES);
    group.waitingOn("data from left peer " + leftName);
    try {
      while (recvBuffer.hasRemaining()) {
        if (left.read(recvBuffer) < 0) {
          throw new EOFException("left peer " + leftName + " closed the data connection");
        }
        group.progress();
      }
    } catch (IOException e) {
      if (group.abortReason() != null) {
        throw new CollectiveException(group.abortReason(), e);
      }
      throw group.fail(
          "rank " + rank() + ": receiving from left peer " + leftName + " failed: " + e, e);
    }
  }

  /** Start of segment {@code s} of {@code n} over {@code len} elements. */
  static int segStart(int len, int n, int s) {
    return (int) ((long) len * s / n);
  }

  private void closeChannels() {
    try {
      left.close();
    } catch (IOException ignored) {
      // closing
    }
    try {
      right.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
