package dev.kiln.scheduler.core;

import java.util.Map;

/**
 * Free resources per node, indexed like {@link Topology}. Mutable scratch state of one cycle;
 * values may go negative when pods the scheduler does not manage overcommit a node.
 */
final class Capacity {
  final long[] cpu;
  final long[] mem;
  final int[] gpu;

  private Capacity(int n) {
    cpu = new long[n];
    mem = new long[n];
    gpu = new int[n];
  }

  /** Allocatable minus what unmanaged pods use. */
  static Capacity initial(Topology t, Map<String, Resources> external) {
    Capacity c = new Capacity(t.size());
    for (int i = 0; i < t.size(); i++) {
      Resources a = t.nodeAt(i).allocatable();
      c.cpu[i] = a.milliCpu();
      c.mem[i] = a.memoryBytes();
      c.gpu[i] = a.gpus();
    }
    external.forEach(
        (node, used) -> {
          int i = t.indexOf(node);
          if (i >= 0) {
            c.take(i, used, 1);
          }
        });
    return c;
  }

  Capacity copy() {
    Capacity c = new Capacity(gpu.length);
    System.arraycopy(cpu, 0, c.cpu, 0, cpu.length);
    System.arraycopy(mem, 0, c.mem, 0, mem.length);
    System.arraycopy(gpu, 0, c.gpu, 0, gpu.length);
    return c;
  }

  void take(int node, Resources r, int count) {
    cpu[node] -= r.milliCpu() * count;
    mem[node] -= r.memoryBytes() * count;
    gpu[node] -= r.gpus() * count;
  }

  void give(int node, Resources r, int count) {
    take(node, r, -count);
  }

  /** Takes one rank of {@code perRank} per entry of {@code rankNodes}. */
  void takeAll(int[] rankNodes, Resources perRank) {
    for (int n : rankNodes) {
      take(n, perRank, 1);
    }
  }

  void giveAll(int[] rankNodes, Resources perRank) {
    for (int n : rankNodes) {
      give(n, perRank, 1);
    }
  }

  /** How many ranks of {@code r} fit on {@code node}, at most {@code limit}. */
  int fit(int node, Resources r, int limit) {
    // Comparisons first: most nodes are ruled out or hold one rank, and division is slow.
    long k = limit;
    if (r.gpus() > 0) {
      if (gpu[node] < r.gpus()) {
        return 0;
      }
      k = Math.min(k, gpu[node] / r.gpus());
    }
    if (r.milliCpu() > 0) {
      if (cpu[node] < r.milliCpu()) {
        return 0;
      }
      k = k == 1 ? 1 : Math.min(k, cpu[node] / r.milliCpu());
    }
    if (r.memoryBytes() > 0) {
      if (mem[node] < r.memoryBytes()) {
        return 0;
      }
      k = k == 1 ? 1 : Math.min(k, mem[node] / r.memoryBytes());
    }
    return (int) k;
  }

  /** Sets node {@code i} of this to the per-dimension minimum of {@code a} and {@code b}. */
  void setMin(int i, Capacity a, Capacity b) {
    cpu[i] = Math.min(a.cpu[i], b.cpu[i]);
    mem[i] = Math.min(a.mem[i], b.mem[i]);
    gpu[i] = Math.min(a.gpu[i], b.gpu[i]);
  }
}
