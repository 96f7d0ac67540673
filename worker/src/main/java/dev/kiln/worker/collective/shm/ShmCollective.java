package dev.kiln.worker.collective.shm;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.PeerGroup;
import dev.kiln.worker.collective.ReduceOp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * All-reduce through one shared memory-mapped file. Each round moves one chunk: every rank writes
 * its chunk to its own slot; after a barrier rank r sums sub-range r of all slots in rank order
 * 0..N-1 (a fixed order, so results are deterministic) into slot 0; after a second barrier every
 * rank copies the reduced chunk out. Rounds alternate between two slot sets, so one barrier
 * separates a round's reads from the writes two rounds later.
 */
final class ShmCollective implements Collective {
  static final int HEADER_BYTES = 4096;
  private static final int LINE = 64; // one cache line per rank's counter
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int PIECE = 16 * 1024; // floats reduced at a time, to stay in cache

  private final PeerGroup group;
  private final MappedByteBuffer map;
  private final FloatBuffer floats;
  private final int slotFloats;
  private final int n;
  private final float[] acc = new float[PIECE];
  private final float[] tmp = new float[PIECE];
  private long generation;
  private long round;
  private long bytesSent;

  ShmCollective(PeerGroup group, MappedByteBuffer map, int slotBytes) {
    this.group = group;
    this.map = map;
    this.map.order(ByteOrder.nativeOrder());
    this.floats = map.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
    this.slotFloats = slotBytes / Float.BYTES;
    this.n = group.worldSize();
    if (n * LINE > HEADER_BYTES) {
      throw new CollectiveException(
          "the shm backend supports at most " + HEADER_BYTES / LINE + " ranks");
    }
  }

  @Override
  public int rank() {
    return group.rank();
  }

  @Override
  public int worldSize() {
    return n;
  }

  @Override
  public String backend() {
    return "shm";
  }

  @Override
  public String failure() {
    return group.abortReason();
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  @Override
  public void allReduce(float[] data, ReduceOp op) {
    group.checkUsable();
    group.beginOp("shm all-reduce of " + data.length + " floats");
    try {
      int r = rank();
      for (int off = 0; off < data.length; off += slotFloats) {
        int len = Math.min(slotFloats, data.length - off);
        int set = (int) (round++ & 1);
        floats.put(slot(set, r), data, off, len);
        bytesSent += (long) len * Float.BYTES;
        barrier("its chunk");
        int from = (int) ((long) len * r / n);
        int to = (int) ((long) len * (r + 1) / n);
        reduceInto(set, from, to);
        bytesSent += (long) (to - from) * Float.BYTES;
        barrier("its reduced sub-range");
        floats.get(slot(set, 0), data, off, len);
        group.progress();
      }
      if (op == ReduceOp.AVG) {
        for (int i = 0; i < data.length; i++) {
          data[i] /= n;
        }
      }
    } finally {
      group.endOp();
    }
  }

  /** slot(set, 0)[from, to) = sum over k = 0..n-1 of slot(set, k)[from, to), in rank order. */
  private void reduceInto(int set, int from, int to) {
    for (int p = from; p < to; p += PIECE) {
      int len = Math.min(PIECE, to - p);
      floats.get(slot(set, 0) + p, acc, 0, len);
      for (int k = 1; k < n; k++) {
        floats.get(slot(set, k) + p, tmp, 0, len);
        for (int i = 0; i < len; i++) {
          acc[i] += tmp[i];
        }
      }
      floats.put(slot(set, 0) + p, acc, 0, len);
    }
  }

  @Override
  public void broadcast(float[] data, int root) {
    if (root < 0 || root >= n) {
      throw new IllegalArgumentException("root " + root + " not in [0, " + n + ")");
    }
    group.checkUsable();
    group.beginOp("shm broadcast of " + data.length + " floats from rank " + root);
    try {
      for (int off = 0; off < data.length; off += slotFloats) {
        int len = Math.min(slotFloats, data.length - off);
        int set = (int) (round++ & 1);
        if (rank() == root) {
          floats.put(slot(set, 0), data, off, len);
          bytesSent += (long) len * Float.BYTES;
        }
        barrier("the broadcast chunk");
        if (rank() != root) {
          floats.get(slot(set, 0), data, off, len);
        }
      }
    } finally {
      group.endOp();
    }
  }

  @Override
  public void barrier() {
    group.checkUsable();
    group.beginOp("shm barrier");
    try {
      round++; // keep the two-set alternation: a barrier separates rounds like a chunk does
      barrier("the barrier");
    } finally {
      group.endOp();
    }
  }

  /** Publishes arrival at the next generation and waits for every rank to arrive too. */
  private void barrier(String what) {
    long g = ++generation;
    LONGS.setRelease(map, rank() * LINE, g);
    for (int k = 0; k < n; k++) {
      if (k == rank()) {
        continue;
      }
      int spins = 0;
      while ((long) LONGS.getAcquire(map, k * LINE) < g) {
        spins++;
        if (spins < 100) {
          Thread.onSpinWait();
        } else if (spins < 200) {
          Thread.yield(); // more ranks than cores is common: give the peer our core
        } else {
          if ((spins & 63) == 0) {
            group.waitingOn(group.peer(k).describe() + " to publish " + what);
            String reason = group.abortReason();
            if (reason != null) {
              throw new CollectiveException(reason);
            }
          }
          LockSupport.parkNanos(spins < 2000 ? 5_000 : 200_000);
        }
      }
    }
    group.progress();
  }

  private int slot(int set, int k) {
    return HEADER_BYTES / Float.BYTES + (set * n + k) * slotFloats;
  }

  @Override
  public void close() {
    group.close();
  }

  @Override
  public void abort(String reason) {
    group.abort("rank " + rank() + " aborted: " + reason);
    group.close();
  }
}
