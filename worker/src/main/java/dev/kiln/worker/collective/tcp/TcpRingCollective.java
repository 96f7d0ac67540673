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
  /** Smallest chunk: below this, per-chunk overhead outweighs pipelining. */
  static final int MIN_CHUNK_FLOATS = 16 * 1024;

  /** Chunks per segment to aim for, so even small arrays flow through the ring pipelined. */
  static final int CHUNKS_PER_SEGMENT = 8;

  private final PeerGroup group;
  private final SocketChannel left;
  private final SocketChannel right;
  private final String leftName;
  private final RingSender sender;
  private final Thread senderThread;
  private final ByteBuffer recvBuffer;
  private final FloatBuffer recvFloats;
  private final float[] scratch;
  private final int maxChunkFloats;

  TcpRingCollective(PeerGroup group, SocketChannel left, SocketChannel right, int chunkBytes) {
    this.group = group;
    this.left = left;
    this.right = right;
    int n = group.worldSize();
    this.leftName = group.peer((group.rank() + n - 1) % n).describe();
    this.maxChunkFloats = chunkBytes / Float.BYTES;
    this.recvBuffer = ByteBuffer.allocateDirect(chunkBytes).order(ByteOrder.nativeOrder());
    this.recvFloats = recvBuffer.asFloatBuffer();
    this.scratch = new float[maxChunkFloats];
    this.sender =
        new RingSender(group, right, group.peer((group.rank() + 1) % n).describe(), chunkBytes);
    this.senderThread = new Thread(sender, "kiln-ring-sender");
    senderThread.setDaemon(true);
    senderThread.start();
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
    return sender.bytesSent();
  }

  @Override
  public void allReduce(float[] data, ReduceOp op) {
    int n = worldSize();
    group.checkUsable();
    if (n == 1 || data.length == 0) {
      return;
    }
    group.beginOp("all-reduce of " + data.length + " floats");
    try {
      int r = rank();
      int steps = 2 * (n - 1);
      int chunk = chunkFloats(data.length / n, maxChunkFloats);
      queueSegment(data, r, chunk);
      for (int u = 0; u < steps; u++) {
        int seg = Math.floorMod(r - u - 1, n);
        int from = segStart(data.length, n, seg);
        int to = segStart(data.length, n, seg + 1);
        boolean reduce = u < n - 1;
        for (int off = from; off < to; off += chunk) {
          int len = Math.min(chunk, to - off);
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
    try {
      boolean forward = (rank() + 1) % n != root;
      int chunk = chunkFloats(data.length, maxChunkFloats);
      for (int off = 0; off < data.length; off += chunk) {
        int len = Math.min(chunk, data.length - off);
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
    if (group.abortReason() == null) {
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

  private void queueSegment(float[] data, int seg, int chunk) {
    int n = worldSize();
    int from = segStart(data.length, n, seg);
    int to = segStart(data.length, n, seg + 1);
    for (int off = from; off < to; off += chunk) {
      sender.send(data, off, Math.min(chunk, to - off));
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

  /**
   * The chunk size for segments of {@code segmentFloats}: about {@link #CHUNKS_PER_SEGMENT} per
   * segment, within [{@link #MIN_CHUNK_FLOATS}, {@code max}]. Every rank computes the same value
   * (the rendezvous checks all ranks use the same maximum).
   */
  static int chunkFloats(int segmentFloats, int max) {
    int target = (segmentFloats + CHUNKS_PER_SEGMENT - 1) / CHUNKS_PER_SEGMENT;
    return Math.max(1, Math.min(max, Math.max(MIN_CHUNK_FLOATS, target)));
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
