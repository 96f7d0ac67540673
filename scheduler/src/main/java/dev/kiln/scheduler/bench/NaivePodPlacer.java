package dev.kiln.scheduler.bench;

import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The baseline: each pod on its own, on the first node (by name) with room, as a default scheduler
 * without gang semantics does. It never looks at the rest of a pod's gang, so it can bind part of a
 * gang and leave the rest waiting while the bound part holds its GPUs.
 */
public final class NaivePodPlacer {
  private final List<Node> nodes;
  private final long[] cpu;
  private final long[] mem;
  private final int[] gpu;
  private long maxCpu;
  private long maxMem;
  private int maxGpu;

  public NaivePodPlacer(List<Node> nodes) {
    this.nodes = new ArrayList<>(nodes);
    this.nodes.sort(Comparator.comparing(Node::name));
    cpu = new long[nodes.size()];
    mem = new long[nodes.size()];
    gpu = new int[nodes.size()];
    for (int i = 0; i < this.nodes.size(); i++) {
      Resources a = this.nodes.get(i).allocatable();
      cpu[i] = a.milliCpu();
      mem[i] = a.memoryBytes();
      gpu[i] = a.gpus();
    }
    refreshMax();
  }

  /** Binds a pod to the first node with room; empty when none has room. */
  public Optional<String> bind(Resources pod) {
    // Per-dimension maxima rule out most misses without a scan.
    if (pod.gpus() > maxGpu || pod.milliCpu() > maxCpu || pod.memoryBytes() > maxMem) {
      return Optional.empty();
    }
    for (int i = 0; i < gpu.length; i++) {
      if (pod.gpus() <= gpu[i] && pod.milliCpu() <= cpu[i] && pod.memoryBytes() <= mem[i]) {
        cpu[i] -= pod.milliCpu();
        mem[i] -= pod.memoryBytes();
        gpu[i] -= pod.gpus();
        refreshMax();
        return Optional.of(nodes.get(i).name());
      }
    }
    return Optional.empty();
  }

  /** Gives back what a pod bound to {@code node} held. */
  public void release(String node, Resources pod) {
    int i = indexOf(node);
    cpu[i] += pod.milliCpu();
    mem[i] += pod.memoryBytes();
    gpu[i] += pod.gpus();
    maxCpu = Math.max(maxCpu, cpu[i]);
    maxMem = Math.max(maxMem, mem[i]);
    maxGpu = Math.max(maxGpu, gpu[i]);
  }

  private int indexOf(String node) {
    int lo = 0;
    int hi = nodes.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = nodes.get(mid).name().compareTo(node);
      if (c == 0) {
        return mid;
      } else if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    throw new IllegalArgumentException("unknown node " + node);
  }

  private void refreshMax() {
    maxCpu = 0;
    maxMem = 0;
    maxGpu = 0;
    for (int i = 0; i < gpu.length; i++) {
      maxCpu = Math.max(maxCpu, cpu[i]);
      maxMem = Math.max(maxMem, mem[i]);
      maxGpu = Math.max(maxGpu, gpu[i]);
    }
  }
}
