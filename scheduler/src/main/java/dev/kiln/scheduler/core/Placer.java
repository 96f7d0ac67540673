package dev.kiln.scheduler.core;

import java.util.Arrays;

/**
 * Places every rank of a gang or none. It prefers, in order, one node, one rack, one zone, and
 * spreads over zones only when nothing smaller holds the gang; among domains that hold it, it picks
 * the one with the fewest free GPUs (best fit), so whole free nodes and racks stay free for the
 * large gangs that need them. Placement succeeds exactly when the free capacity of the scope holds
 * every rank, which keeps feasibility monotone in free capacity.
 */
final class Placer {
  /** Where a placement may go. */
  enum Scope {
    CLUSTER,
    ZONE,
    RACK,
    NODE
  }

  private static final int NODES = 0;
  private static final int RACKS = 1;
  private static final int ZONES = 2;

  private final Topology t;
  private final int[] nodeCap;
  private final int[] rackCap;
  private final int[] zoneCap;
  // Free GPUs and CPU per rack and zone, summed once per placement for best-fit comparisons.
  private final long[] rackGpu;
  private final long[] rackCpu;
  private final long[] zoneGpu;
  private final long[] zoneCpu;
  private Capacity c;

  Placer(Topology t) {
    this.t = t;
    nodeCap = new int[t.size()];
    rackCap = new int[t.rackCount()];
    zoneCap = new int[t.zoneCount()];
    rackGpu = new long[t.rackCount()];
    rackCpu = new long[t.rackCount()];
    zoneGpu = new long[t.zoneCount()];
    zoneCpu = new long[t.zoneCount()];
  }

  /** The node index of every rank, or {@code null} when free capacity cannot hold them all. */
  int[] place(Capacity free, Resources perRank, int ranks) {
    return place(free, perRank, ranks, Scope.CLUSTER, 0);
  }

  int[] place(Capacity free, Resources perRank, int ranks, Scope scope, int id) {
    this.c = free;
    int[] nodes = nodesOf(scope, id);
    long total = 0;
    int best = -1;
    for (int n : nodes) {
      int k = free.fit(n, perRank, ranks);
      nodeCap[n] = k;
      total += k;
      if (k >= ranks && (best < 0 || compareFit(NODES, n, best) < 0)) {
        best = n;
      }
    }
    if (total < ranks) {
      return null;
    }
    int[] out = new int[ranks];
    if (best >= 0) {
      Arrays.fill(out, best);
      return out;
    }
    if (scope == Scope.RACK || scope == Scope.NODE) {
      fill(NODES, nodes, ranks, out, 0);
      return out;
    }
    int[] racks = scope == Scope.ZONE ? t.racksOfZone[id] : t.allRacks;
    for (int r : racks) {
      sumRack(r, ranks);
    }
    best = bestFit(RACKS, racks, ranks);
    if (best >= 0) {
      fill(NODES, t.nodesOfRack[best], ranks, out, 0);
    } else if (scope == Scope.ZONE) {
      fill(RACKS, racks, ranks, out, 0);
    } else {
      int[] zones = t.allZones;
      for (int z : zones) {
        sumZone(z, ranks);
      }
      best = bestFit(ZONES, zones, ranks);
      fill(ZONES, best >= 0 ? new int[] {best} : zones, ranks, out, 0);
    }
    return out;
  }

  /** Whether free capacity of the scope holds every rank; cheaper than {@link #place}. */
  boolean fits(Capacity free, Resources perRank, int ranks, Scope scope, int id) {
    long total = 0;
    for (int n : nodesOf(scope, id)) {
      total += free.fit(n, perRank, ranks);
      if (total >= ranks) {
        return true;
      }
    }
    return false;
  }

  /** How many ranks of {@code perRank} the whole cluster's free capacity holds, up to limit. */
  static int fittingRanks(Capacity free, Resources perRank, int limit) {
    long total = 0;
    for (int n = 0; n < free.gpu.length && total < limit; n++) {
      total += free.fit(n, perRank, limit);
    }
    return (int) Math.min(total, limit);
  }

  private int[] nodesOf(Scope scope, int id) {
    return switch (scope) {
      case CLUSTER -> t.allNodes;
      case ZONE -> t.nodesOfZone[id];
      case RACK -> t.nodesOfRack[id];
      case NODE -> new int[] {id};
    };
  }

  /**
   * Assigns {@code need} ranks among {@code members} of a level: largest members first, so the gang
   * touches as few of them as possible, and the member that takes the last ranks is the best fit
   * among those that can.
   */
  private int fill(int level, int[] members, int need, int[] out, int pos) {
    Integer[] order =
        Arrays.stream(members).filter(m -> cap(level, m) > 0).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order,
        (a, b) -> {
          int byCap = Integer.compare(cap(level, b), cap(level, a));
          return byCap != 0 ? byCap : compareFit(level, a, b);
        });
    for (int i = 0; need > 0; i++) {
      int m = order[i];
      if (cap(level, m) >= need) {
        int best = m;
        for (int j = i + 1; j < order.length && cap(level, order[j]) >= need; j++) {
          if (compareFit(level, order[j], best) < 0) {
            best = order[j];
          }
        }
        return assign(level, best, need, out, pos);
      }
      pos = assign(level, m, cap(level, m), out, pos);
      need -= cap(level, m);
    }
    return pos;
  }

  private int assign(int level, int member, int k, int[] out, int pos) {
    switch (level) {
      case NODES -> {
        Arrays.fill(out, pos, pos + k, member);
        return pos + k;
      }
      case RACKS -> {
        return fill(NODES, t.nodesOfRack[member], k, out, pos);
      }
      default -> {
        return fill(RACKS, t.racksOfZone[member], k, out, pos);
      }
    }
  }

  /** The member holding all {@code need} ranks with the fewest free GPUs, or -1. */
  private int bestFit(int level, int[] members, int need) {
    int best = -1;
    for (int m : members) {
      if (cap(level, m) >= need && (best < 0 || compareFit(level, m, best) < 0)) {
        best = m;
      }
    }
    return best;
  }

  /** Tighter first: fewer free GPUs, then less free CPU, then memory, then name order. */
  private int compareFit(int level, int a, int b) {
    int byGpu = Long.compare(freeGpus(level, a), freeGpus(level, b));
    if (byGpu != 0) {
      return byGpu;
    }
    int byCpu = Long.compare(freeCpu(level, a), freeCpu(level, b));
    return byCpu != 0 ? byCpu : Integer.compare(a, b);
  }

  private int cap(int level, int m) {
    return switch (level) {
      case NODES -> nodeCap[m];
      case RACKS -> rackCap[m];
      default -> zoneCap[m];
    };
  }

  private long freeGpus(int level, int m) {
    return switch (level) {
      case NODES -> Math.max(0, c.gpu[m]);
      case RACKS -> rackGpu[m];
      default -> zoneGpu[m];
    };
  }

  private long freeCpu(int level, int m) {
    return switch (level) {
      case NODES -> Math.max(0, c.cpu[m]);
      case RACKS -> rackCpu[m];
      default -> zoneCpu[m];
    };
  }

  private void sumRack(int r, int limit) {
    long cap = 0;
    long gpu = 0;
    long cpu = 0;
    for (int n : t.nodesOfRack[r]) {
      cap += nodeCap[n];
      gpu += Math.max(0, c.gpu[n]);
      cpu += Math.max(0, c.cpu[n]);
    }
    rackCap[r] = (int) Math.min(cap, limit);
    rackGpu[r] = gpu;
    rackCpu[r] = cpu;
  }

  private void sumZone(int z, int limit) {
    long cap = 0;
    long gpu = 0;
    long cpu = 0;
    for (int r : t.racksOfZone[z]) {
      cap += rackCap[r];
      gpu += rackGpu[r];
      cpu += rackCpu[r];
    }
    zoneCap[z] = (int) Math.min(cap, limit);
    zoneGpu[z] = gpu;
    zoneCpu[z] = cpu;
  }
}
