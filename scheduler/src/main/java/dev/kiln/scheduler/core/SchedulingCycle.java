package dev.kiln.scheduler.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of {@link GangScheduler#decide}: mutable state that lives for a single call. Gangs are
 * taken in order — priority, then the queue with the lowest weighted dominant share, then
 * submission time — and each is admitted, admitted by evicting lower priorities, admitted as a
 * backfill, or left waiting with its blocker.
 */
final class SchedulingCycle {
  private static final Comparator<Gang> BY_SUBMISSION =
      Comparator.comparing(Gang::submitted).thenComparing(Gang::job);

  private final Topology topo;
  private final Instant now;
  private final Map<String, Resources> external;
  private final Placer placer;
  private final Preemptor preemptor;
  private final Capacity free;
  private final Map<String, QueueSpec> queues = new HashMap<>();
  private final Map<String, Resources> used = new HashMap<>();

  /** Gangs holding resources: the snapshot's running gangs, then this cycle's admissions. */
  private final List<Held> held = new ArrayList<>();

  private List<Held> byRelease;

  /** Shapes that do not fit free capacity now, and shapes that do (until the next admission). */
  private final ShapeMemo failures = new ShapeMemo();

  private final ShapeMemo fits = new ShapeMemo();
  private final Map<Resources, Integer> emptyCapacity = new HashMap<>();
  private int lowestRunningPriority = Integer.MAX_VALUE;

  private final List<Admission> admitted = new ArrayList<>();
  private final List<Preemption> preempted = new ArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();

  /** The first gang in order waiting for capacity; later gangs may only backfill around it. */
  private Gang head;

  private CapacityReservation reservation;
  private boolean reserved;
  private final Map<String, Gang> quotaHeads = new HashMap<>();
  private final Map<String, QuotaReservation> quotaReservations = new HashMap<>();

  /** A waiting gang; NoFit and reservation blockers are completed once the cycle is over. */
  private record Waiting(Gang gang, Blocker blocker, boolean noFit, Gang reservedFor) {}

  SchedulingCycle(ClusterSnapshot snapshot, Instant now) {
    this.topo = snapshot.topology();
    this.now = now;
    this.external = snapshot.externalUsage();
    this.placer = new Placer(topo);
    this.preemptor = new Preemptor(topo, placer);
    this.free = Capacity.initial(topo, external);
    snapshot.queues().forEach(q -> queues.put(q.name(), q));
    for (RunningGang r : snapshot.running()) {
      Gang g = r.gang();
      int[] nodes = r.nodeIndices(topo);
      free.takeAll(nodes, g.perRank());
      used.merge(g.queue(), g.total(), Resources::plus);
      Instant releasedBy =
          g.maxRuntime().isPresent() ? r.started().plus(g.maxRuntime().get()) : null;
      held.add(new Held(g, r, nodes, releasedBy));
      lowestRunningPriority = Math.min(lowestRunningPriority, g.priority());
    }
  }

  SchedulingDecision run(List<Gang> pending) {
    Set<JobId> seen = new HashSet<>(pending.size() * 2);
    TreeMap<Integer, Map<String, List<Gang>>> levels = new TreeMap<>(Comparator.reverseOrder());
    for (Gang g : pending) {
      if (!seen.add(g.job())) {
        throw new IllegalArgumentException(g.job() + " is pending twice");
      }
      levels
          .computeIfAbsent(g.priority(), p -> new TreeMap<>())
          .computeIfAbsent(g.queue(), q -> new ArrayList<>())
          .add(g);
    }
    for (Held h : held) {
      if (seen.contains(h.gang.job())) {
        throw new IllegalArgumentException(h.gang.job() + " is both pending and running");
      }
    }
    for (Map<String, List<Gang>> level : levels.values()) {
      runLevel(level);
    }
    return new SchedulingDecision(admitted, preempted, finish());
  }

  /** Progressive filling: always serve the queue furthest below its weighted fair share. */
  private void runLevel(Map<String, List<Gang>> level) {
    Map<String, ArrayDeque<Gang>> fifo = new TreeMap<>();
    level.forEach(
        (queue, gangs) -> {
          gangs.sort(BY_SUBMISSION);
          fifo.put(queue, new ArrayDeque<>(gangs));
        });
    while (!fifo.isEmpty()) {
      String next = null;
      double lowest = Double.POSITIVE_INFINITY;
      for (String q : fifo.keySet()) {
        double share = share(q);
        if (next == null || share < lowest) {
          next = q;
          lowest = share;
        }
      }
      ArrayDeque<Gang> gangs = fifo.get(next);
      evaluate(gangs.poll());
      if (gangs.isEmpty()) {
        fifo.remove(next);
      }
    }
  }

  /** Dominant resource share of the queue divided by its weight. */
  private double share(String queue) {
    QueueSpec q = queues.get(queue);
    if (q == null) {
      return Double.POSITIVE_INFINITY;
    }
    Resources u = used(queue);
    Resources total = topo.total();
    double s = 0;
    if (total.gpus() > 0) {
      s = Math.max(s, (double) u.gpus() / total.gpus());
    }
    if (total.milliCpu() > 0) {
      s = Math.max(s, (double) u.milliCpu() / total.milliCpu());
    }
    if (total.memoryBytes() > 0) {
      s = Math.max(s, (double) u.memoryBytes() / total.memoryBytes());
    }
    return s / q.weight();
  }

  private void evaluate(Gang g) {
    QueueSpec q = queues.get(g.queue());
    if (q == null) {
      wait(g, new Blocker.UnknownQueue(g.queue()));
      return;
    }
    Resources need = g.total();
    if (!need.fitsIn(q.quota())) {
      wait(g, new Blocker.ExceedsQuota(q.name(), q.quota(), need));
      return;
    }
    int empty = emptyCapacity(g.perRank());
    if (empty < g.ranks()) {
      wait(g, new Blocker.Unschedulable(g.ranks(), g.perRank(), empty));
      return;
    }
    boolean quotaFits = used(q.name()).plus(need).fitsIn(q.quota());
    QuotaReservation quotaHead = quotaFits ? quotaReservation(q) : null;
    if (quotaFits && quotaHead != null && !quotaHead.admits(g)) {
      wait(
          g,
          new Blocker.WaitingForReservation(quotaHead.head().job(), "quota of queue " + q.name()));
    } else if (head == null) {
      evaluateInOrder(g, q, quotaFits);
    } else if (!quotaFits) {
      quotaBlocked(g, q);
    } else {
      evaluateAsBackfill(g);
    }
  }

  /** No earlier gang waits for capacity: start it, evicting lower priorities if needed. */
  private void evaluateInOrder(Gang g, QueueSpec q, boolean quotaFits) {
    if (quotaFits) {
      int[] nodes = tryPlace(g);
      if (nodes != null) {
        admit(g, nodes, false);
        return;
      }
    }
    if (g.priority() > lowestRunningPriority) {
      Preemptor.QuotaShortfall shortfall =
          quotaFits ? null : new Preemptor.QuotaShortfall(q.name(), q.quota(), used(q.name()));
      List<Held> victims = preemptor.victims(g, held, free, shortfall);
      if (victims != null) {
        evict(victims, g);
        int[] nodes = placer.place(free, g.perRank(), g.ranks());
        if (nodes == null) {
          throw new IllegalStateException("evictions for " + g.job() + " freed too little");
        }
        admit(g, nodes, false);
        return;
      }
    }
    if (!quotaFits) {
      quotaBlocked(g, q);
      return;
    }
    head = g;
    waiting.add(new Waiting(g, null, true, null));
  }

  /** A gang behind the head: it may start now only if the head's start stays where it is. */
  private void evaluateAsBackfill(Gang g) {
    if (failures.hasNoLargerThan(g.perRank(), g.ranks())) {
      waiting.add(new Waiting(g, null, true, null));
      return;
    }
    if (!reserved) {
      reservation = CapacityReservation.reserve(head, now, free, byRelease(), placer);
      reserved = true;
    }
    int[] nodes;
    if (reservation == null || reservation.endsBeforeShadow(g)) {
      nodes = tryPlace(g);
    } else {
      // What the head leaves is a subset of what is free, so try that first.
      nodes = reservation.placeAroundHead(g, placer);
      if (nodes == null && fitsNow(g)) {
        waiting.add(new Waiting(g, null, false, head));
        return;
      }
    }
    if (nodes == null) {
      waiting.add(new Waiting(g, null, true, null));
    } else {
      admit(g, nodes, true);
    }
  }

  private int[] tryPlace(Gang g) {
    if (failures.hasNoLargerThan(g.perRank(), g.ranks())) {
      return null;
    }
    int[] nodes = placer.place(free, g.perRank(), g.ranks());
    if (nodes == null) {
      failures.add(g.perRank(), g.ranks());
    }
    return nodes;
  }

  /** Whether free capacity holds the gang now, remembering the answer until it changes. */
  private boolean fitsNow(Gang g) {
    if (fits.hasNoSmallerThan(g.perRank(), g.ranks())) {
      return true;
    }
    if (failures.hasNoLargerThan(g.perRank(), g.ranks())) {
      return false;
    }
    if (placer.fits(free, g.perRank(), g.ranks(), Placer.Scope.CLUSTER, 0)) {
      fits.add(g.perRank(), g.ranks());
      return true;
    }
    failures.add(g.perRank(), g.ranks());
    return false;
  }

  private void admit(Gang g, int[] nodes, boolean backfilled) {
    free.takeAll(nodes, g.perRank());
    fits.clear();
    used.merge(g.queue(), g.total(), Resources::plus);
    Held h = new Held(g, null, nodes, g.maxRuntime().map(now::plus).orElse(null));
    held.add(h);
    if (byRelease != null) {
      int at = Collections.binarySearch(byRelease, h, Held::byRelease);
      byRelease.add(at < 0 ? -at - 1 : at, h);
    }
    List<String> names = new ArrayList<>(nodes.length);
    for (int n : nodes) {
      names.add(topo.nodeAt(n).name());
    }
    admitted.add(new Admission(g, names, backfilled));
    if (reservation != null) {
      reservation.admitted(g, nodes, free);
    }
    QuotaReservation q = quotaReservations.get(g.queue());
    if (q != null) {
      q.admitted(g);
    }
  }

  private void evict(List<Held> victims, Gang preemptor) {
    for (Held v : victims) {
      v.evicted = true;
      free.giveAll(v.nodes, v.gang.perRank());
      used.merge(v.gang.queue(), v.gang.total(), Resources::minus);
      preempted.add(new Preemption(v.running, preemptor));
    }
    if (byRelease != null) {
      byRelease.removeAll(victims);
    }
    failures.clear();
    fits.clear();
  }

  private void quotaBlocked(Gang g, QueueSpec q) {
    wait(g, new Blocker.QuotaExhausted(q.name(), used(q.name()), q.quota(), g.total()));
    quotaHeads.putIfAbsent(q.name(), g);
  }

  /** The queue's quota reservation, computed the first time a later gang of the queue asks. */
  private QuotaReservation quotaReservation(QueueSpec q) {
    Gang quotaHead = quotaHeads.get(q.name());
    if (quotaHead == null) {
      return null;
    }
    return quotaReservations.computeIfAbsent(
        q.name(),
        name -> {
          List<Held> ofQueue =
              byRelease().stream().filter(h -> h.gang.queue().equals(name)).toList();
          return QuotaReservation.reserve(quotaHead, now, q.quota(), used(name), ofQueue);
        });
  }

  /** Gangs holding resources now, by release time; sorted once, then kept in order. */
  private List<Held> byRelease() {
    if (byRelease == null) {
      byRelease = new ArrayList<>(held.size());
      for (Held h : held) {
        if (!h.evicted) {
          byRelease.add(h);
        }
      }
      byRelease.sort(Held::byRelease);
    }
    return byRelease;
  }

  private int emptyCapacity(Resources perRank) {
    if (external.isEmpty()) {
      Integer cached = topo.cachedEmptyCapacity(perRank);
      if (cached == null) {
        cached = Placer.fittingRanks(Capacity.initial(topo, external), perRank, Integer.MAX_VALUE);
        topo.cacheEmptyCapacity(perRank, cached);
      }
      return cached;
    }
    return emptyCapacity.computeIfAbsent(
        perRank, r -> Placer.fittingRanks(Capacity.initial(topo, external), r, Integer.MAX_VALUE));
  }

  private Resources used(String queue) {
    return used.getOrDefault(queue, Resources.ZERO);
  }

  private void wait(Gang g, Blocker blocker) {
    waiting.add(new Waiting(g, blocker, false, null));
  }

  /** Positions, and the blockers whose numbers depend on the end state of the cycle. */
  private List<PendingGang> finish() {
    List<PendingGang> out = new ArrayList<>(waiting.size());
    Map<String, Integer> queuePositions = new HashMap<>();
    Map<Resources, Integer> fitting = new HashMap<>();
    int higherPriority = 0;
    int maxFreeGpus = maxFreeGpus();
    for (int i = 0; i < waiting.size(); i++) {
      Waiting w = waiting.get(i);
      Gang g = w.gang();
      if (i > 0 && g.priority() < waiting.get(i - 1).gang().priority()) {
        higherPriority = i;
      }
      Blocker b = w.blocker();
      if (w.noFit()) {
        int fit =
            fitting.computeIfAbsent(
                g.perRank(), r -> Placer.fittingRanks(free, r, Integer.MAX_VALUE));
        b =
            new Blocker.NoFit(
                g.ranks(),
                g.perRank(),
                Math.min(fit, g.ranks()),
                maxFreeGpus >= g.perRank().gpus());
      } else if (w.reservedFor() != null) {
        b =
            w.reservedFor().priority() > g.priority()
                ? new Blocker.BehindHigherPriority(higherPriority)
                : new Blocker.WaitingForReservation(w.reservedFor().job(), "capacity");
      }
      int queuePosition = queuePositions.merge(g.queue(), 1, Integer::sum);
      out.add(new PendingGang(g, b, i + 1, queuePosition));
    }
    return out;
  }

  private int maxFreeGpus() {
    int max = 0;
    for (int gpu : free.gpu) {
      max = Math.max(max, gpu);
    }
    return max;
  }
}
