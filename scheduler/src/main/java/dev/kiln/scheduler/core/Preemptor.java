package dev.kiln.scheduler.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses whole lower-priority gangs to evict so that a gang fits. For every node, rack and zone it
 * evicts, smallest first, gangs on that domain until the gang fits there; if the queue's quota is
 * short too, it then evicts the queue's own gangs, smallest first, until the quota fits; last, it
 * drops every victim the gang can do without (largest first). Among the domains that work it keeps
 * the set with the fewest GPUs, then the fewest gangs, then the tighter domain; the whole cluster
 * is tried only when no single zone works. Searching per domain keeps the evicted set where the
 * gang will actually land, instead of scattering evictions that free nothing usable.
 */
final class Preemptor {
  private static final Comparator<Held> SMALLEST_FIRST =
      Comparator.<Held>comparingInt(h -> h.gpus)
          .thenComparingInt(h -> h.gang.priority())
          .thenComparing(h -> h.gang.job());

  private final Topology t;
  private final Placer placer;

  Preemptor(Topology t, Placer placer) {
    this.t = t;
    this.placer = placer;
  }

  /** The quota side of the problem: the queue, its quota and use, or {@code null} if quota fits. */
  record QuotaShortfall(String queue, Resources quota, Resources used) {}

  /** Victims (running gangs of lower priority), or {@code null} when no eviction makes g fit. */
  List<Held> victims(Gang g, List<Held> running, Capacity free, QuotaShortfall quota) {
    List<Held> candidates = new ArrayList<>();
    for (Held h : running) {
      if (!h.evicted && h.running != null && h.gang.priority() < g.priority()) {
        candidates.add(h);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    candidates.sort(SMALLEST_FIRST);
    for (int i = 0; i < candidates.size(); i++) {
      candidates.get(i).order = i;
      candidates.get(i).stamp = -1;
    }
    Search search = new Search(g, candidates, free.copy(), quota);
    if (!search.couldFit()) {
      return null;
    }
    if (placer.fits(free, g.perRank(), g.ranks(), Placer.Scope.CLUSTER, 0)) {
      // Only the quota is short: where the victims run does not matter.
      Choice quotaOnly = search.tryDomain(Placer.Scope.CLUSTER, 0);
      return quotaOnly == null ? null : quotaOnly.victims;
    }
    Choice best = null;
    if (g.ranks() <= t.largestNodeRanks(g.perRank())) {
      for (int n = 0; n < t.size(); n++) {
        best = better(best, search.tryDomain(Placer.Scope.NODE, n));
      }
    }
    for (int r = 0; r < t.rackCount(); r++) {
      best = better(best, search.tryDomain(Placer.Scope.RACK, r));
    }
    for (int z = 0; z < t.zoneCount(); z++) {
      best = better(best, search.tryDomain(Placer.Scope.ZONE, z));
    }
    if (best == null) {
      best = search.tryDomain(Placer.Scope.CLUSTER, 0);
    }
    return best == null ? null : best.victims;
  }

  private record Choice(List<Held> victims, int gpus, Placer.Scope scope) {}

  /** One search: candidates indexed by node, scratch capacity, and quota freed so far. */
  private final class Search {
    private final Gang g;
    private final List<Held> candidates;
    private final Capacity scratch;
    private final QuotaShortfall quota;
    private final List<Held> sameQueue = new ArrayList<>();
    private final List<List<Held>> byNode = new ArrayList<>();
    private int stamps;

    /** Quota still missing, per dimension; the quota fits when all are <= 0. */
    private long shortCpu;

    private long shortMem;
    private long shortGpu;

    Search(Gang g, List<Held> candidates, Capacity scratch, QuotaShortfall quota) {
      this.g = g;
      this.candidates = candidates;
      this.scratch = scratch;
      this.quota = quota;
      for (int n = 0; n < t.size(); n++) {
        byNode.add(new ArrayList<>(2));
      }
      for (Held c : candidates) {
        for (int n : c.nodes) {
          List<Held> on = byNode.get(n);
          if (on.isEmpty() || on.get(on.size() - 1) != c) {
            on.add(c);
          }
        }
        if (quota != null && c.gang.queue().equals(quota.queue())) {
          sameQueue.add(c);
        }
      }
      if (quota != null) {
        Resources over = quota.used().plus(g.total());
        shortCpu = over.milliCpu() - quota.quota().milliCpu();
        shortMem = over.memoryBytes() - quota.quota().memoryBytes();
        shortGpu = (long) over.gpus() - quota.quota().gpus();
      }
    }

    /** An exact bound: would evicting every candidate be enough? */
    boolean couldFit() {
      candidates.forEach(this::evict);
      boolean fits = fits(Placer.Scope.CLUSTER, 0);
      candidates.forEach(this::restore);
      return fits;
    }

    Choice tryDomain(Placer.Scope scope, int id) {
      List<Held> local = onDomain(scope, id);
      List<Held> victims = new ArrayList<>();
      for (Held c : local) {
        if (placer.fits(scratch, g.perRank(), g.ranks(), scope, id)) {
          break;
        }
        victims.add(c);
        evict(c);
      }
      for (Held c : sameQueue) {
        if (quotaFits()) {
          break;
        }
        if (!victims.contains(c)) {
          victims.add(c);
          evict(c);
        }
      }
      Choice choice = null;
      if (fits(scope, id)) {
        List<Held> largestFirst = new ArrayList<>(victims);
        largestFirst.sort(SMALLEST_FIRST.reversed());
        for (Held v : largestFirst) {
          restore(v);
          if (fits(scope, id)) {
            victims.remove(v);
          } else {
            evict(v);
          }
        }
        victims.sort(SMALLEST_FIRST);
        int gpus = victims.stream().mapToInt(v -> v.gpus).sum();
        choice = new Choice(List.copyOf(victims), gpus, scope);
      }
      victims.forEach(this::restore);
      return choice;
    }

    /** Candidates running on the domain, smallest first. */
    private List<Held> onDomain(Placer.Scope scope, int id) {
      switch (scope) {
        case CLUSTER:
          return candidates;
        case NODE:
          return byNode.get(id);
        default:
          // Stamps dedupe gangs spanning several nodes of the domain without hashing.
          int stamp = ++stamps;
          List<Held> out = new ArrayList<>();
          for (int n : scope == Placer.Scope.RACK ? t.nodesOfRack[id] : t.nodesOfZone[id]) {
            for (Held c : byNode.get(n)) {
              if (c.stamp != stamp) {
                c.stamp = stamp;
                out.add(c);
              }
            }
          }
          out.sort(Comparator.comparingInt(c -> c.order));
          return out;
      }
    }

    private boolean fits(Placer.Scope scope, int id) {
      return quotaFits() && placer.fits(scratch, g.perRank(), g.ranks(), scope, id);
    }

    private boolean quotaFits() {
      return shortCpu <= 0 && shortMem <= 0 && shortGpu <= 0;
    }

    private void evict(Held c) {
      scratch.giveAll(c.nodes, c.gang.perRank());
      if (quota != null && c.gang.queue().equals(quota.queue())) {
        Resources r = c.gang.total();
        shortCpu -= r.milliCpu();
        shortMem -= r.memoryBytes();
        shortGpu -= r.gpus();
      }
    }

    private void restore(Held c) {
      scratch.takeAll(c.nodes, c.gang.perRank());
      if (quota != null && c.gang.queue().equals(quota.queue())) {
        Resources r = c.gang.total();
        shortCpu += r.milliCpu();
        shortMem += r.memoryBytes();
        shortGpu += r.gpus();
      }
    }
  }

  private static Choice better(Choice a, Choice b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int c = Integer.compare(a.gpus, b.gpus);
    if (c == 0) {
      c = Integer.compare(a.victims.size(), b.victims.size());
    }
    if (c == 0) {
      // Tighter scopes come later in the enum; a tighter domain wins a tie.
      c = Integer.compare(b.scope.ordinal(), a.scope.ordinal());
    }
    return c <= 0 ? a : b;
  }
}
