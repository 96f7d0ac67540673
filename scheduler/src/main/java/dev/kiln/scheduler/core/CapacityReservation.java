package dev.kiln.scheduler.core;

import java.time.Instant;
import java.util.List;

/**
 * The head's reservation for backfill (EASY backfilling). The head is the first gang in order that
 * waits for capacity. Its shadow time is the earliest instant by which enough running gangs are
 * certain to have released their resources (by their maximum runtime) for the head to fit; at that
 * instant it is placed on definite nodes. A later gang may start now only if it is certain to end
 * before the shadow time, or if it leaves the head's reserved share of every node intact — so
 * backfill never pushes the head's start back.
 */
final class CapacityReservation {
  private final Gang head;
  private final Instant now;

  /** When the head is certain to fit, or {@code null} when that depends on an unbounded gang. */
  private final Instant shadow;

  /** Free capacity at the shadow time, minus the head's nodes and backfills still running then. */
  private final Capacity spare;

  /** What a gang that may outlive the shadow time can use now: min(free now, spare). */
  private final Capacity usable;

  private final ShapeMemo failures = new ShapeMemo();

  private CapacityReservation(
      Gang head, Instant now, Instant shadow, Capacity spare, Capacity usable) {
    this.head = head;
    this.now = now;
    this.shadow = shadow;
    this.spare = spare;
    this.usable = usable;
  }

  /**
   * Reserves for {@code head} given the free capacity now and the gangs holding resources ({@code
   * held}, sorted by {@link Held#byRelease}); {@code null} if even releasing everything leaves the
   * head unplaceable, in which case it reserves nothing.
   */
  static CapacityReservation reserve(
      Gang head, Instant now, Capacity free, List<Held> held, Placer placer) {
    // Feasibility is monotone in how many gangs have released, so the shortest prefix is a
    // search. The head needs at least its total free in sum, a lower bound that is usually close:
    // gallop up from it, then bisect the last step. The prefix moves incrementally.
    Prefix prefix = new Prefix(free.copy(), held);
    int lo = prefix.enoughInSum(free, head.total());
    int end = held.size();
    int hi = -1;
    for (int step = 1; lo <= end; step *= 2) {
      int probe = Math.min(end, lo + step - 1);
      if (prefix.fits(probe, head, placer)) {
        hi = probe;
        break;
      }
      lo = probe + 1;
    }
    if (hi < 0) {
      return null;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (prefix.fits(mid, head, placer)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    prefix.moveTo(lo);
    Capacity atShadow = prefix.capacity;
    Instant shadow = lo == 0 ? now : held.get(lo - 1).releasedBy;
    int[] headNodes = placer.place(atShadow, head.perRank(), head.ranks());
    atShadow.takeAll(headNodes, head.perRank());
    Capacity usable = free.copy();
    for (int n = 0; n < usable.gpu.length; n++) {
      usable.setMin(n, free, atShadow);
    }
    return new CapacityReservation(head, now, shadow, atShadow, usable);
  }

  /** Free capacity once the first {@code count} held gangs have released. */
  private static final class Prefix {
    final Capacity capacity;
    final List<Held> held;
    int count;

    Prefix(Capacity capacity, List<Held> held) {
      this.capacity = capacity;
      this.held = held;
    }

    /** The shortest prefix whose release brings free capacity, summed, up to {@code need}. */
    int enoughInSum(Capacity free, Resources need) {
      long cpu = 0;
      long mem = 0;
      long gpu = 0;
      for (int n = 0; n < free.gpu.length; n++) {
        cpu += Math.max(0, free.cpu[n]);
        mem += Math.max(0, free.mem[n]);
        gpu += Math.max(0, free.gpu[n]);
      }
      int k = 0;
      while (k < held.size()
          && (cpu < need.milliCpu() || mem < need.memoryBytes() || gpu < need.gpus())) {
        Resources r = held.get(k++).gang.total();
        cpu += r.milliCpu();
        mem += r.memoryBytes();
        gpu += r.gpus();
      }
      return k;
    }

    void moveTo(int k) {
      while (count < k) {
        Held h = held.get(count++);
        capacity.giveAll(h.nodes, h.gang.perRank());
      }
      while (count > k) {
        Held h = held.get(--count);
        capacity.takeAll(h.nodes, h.gang.perRank());
      }
    }

    boolean fits(int k, Gang head, Placer placer) {
      moveTo(k);
      return placer.fits(capacity, head.perRank(), head.ranks(), Placer.Scope.CLUSTER, 0);
    }
  }

  Gang head() {
    return head;
  }

  /** Whether {@code g} is certain to have ended by the time the head can start. */
  boolean endsBeforeShadow(Gang g) {
    return shadow != null && g.maxRuntime().map(d -> !now.plus(d).isAfter(shadow)).orElse(false);
  }

  /** Nodes for a gang that may outlive the shadow time, without touching the head's share. */
  int[] placeAroundHead(Gang g, Placer placer) {
    if (failures.hasNoLargerThan(g.perRank(), g.ranks())) {
      return null;
    }
    int[] nodes = placer.place(usable, g.perRank(), g.ranks());
    if (nodes == null) {
      failures.add(g.perRank(), g.ranks());
    }
    return nodes;
  }

  /** Records a gang started now on {@code nodes}; {@code free} already reflects it. */
  void admitted(Gang g, int[] nodes, Capacity free) {
    if (!endsBeforeShadow(g)) {
      spare.takeAll(nodes, g.perRank());
    }
    for (int n : nodes) {
      usable.setMin(n, free, spare);
    }
  }
}
