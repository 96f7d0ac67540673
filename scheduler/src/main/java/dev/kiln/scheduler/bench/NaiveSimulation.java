package dev.kiln.scheduler.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The stream through {@link NaivePodPlacer}: pods queue by priority, then submission, and each
 * cycle binds every pod that fits somewhere. No quota, no preemption, no gang semantics.
 */
final class NaiveSimulation extends Simulation {
  private record Pod(Workload.Job job, int rank) {}

  private static final Comparator<Pod> ORDER =
      Comparator.<Pod>comparingInt(p -> -p.job().priority())
          .thenComparingLong(p -> p.job().arrivalMillis())
          .thenComparingInt(p -> p.job().index())
          .thenComparingInt(Pod::rank);

  private final NaivePodPlacer placer;
  private final TreeSet<Pod> pending = new TreeSet<>(ORDER);
  private final List<Pod> arrivedSinceLastCycle = new ArrayList<>();
  private final String[][] nodeOfRank;
  private final int[] boundRanks;
  private boolean releasedSinceLastCycle;

  NaiveSimulation(Workload workload) {
    super(workload);
    placer = new NaivePodPlacer(workload.nodes());
    nodeOfRank = new String[workload.jobs().size()][];
    boundRanks = new int[workload.jobs().size()];
  }

  @Override
  protected void arrived(Workload.Job job) {
    nodeOfRank[job.index()] = new String[job.ranks()];
    for (int r = 0; r < job.ranks(); r++) {
      Pod p = new Pod(job, r);
      pending.add(p);
      arrivedSinceLastCycle.add(p);
    }
  }

  @Override
  protected void finished(Workload.Job job) {
    String[] nodes = nodeOfRank[job.index()];
    for (int r = 0; r < nodes.length; r++) {
      placer.release(nodes[r], job.perRank());
      unbound(job, r, nodes[r]);
    }
    releasedSinceLastCycle = true;
  }

  @Override
  protected void schedule(long now) {
    // Without a release, only pods that arrived since the last cycle can fit: capacity only shrank.
    if (releasedSinceLastCycle) {
      tryBind(pending.iterator());
    } else {
      arrivedSinceLastCycle.sort(ORDER);
      for (Pod p : arrivedSinceLastCycle) {
        if (pending.contains(p) && tryBind(p)) {
          pending.remove(p);
        }
      }
    }
    arrivedSinceLastCycle.clear();
    releasedSinceLastCycle = false;
  }

  private void tryBind(Iterator<Pod> it) {
    while (it.hasNext()) {
      if (tryBind(it.next())) {
        it.remove();
      }
    }
  }

  private boolean tryBind(Pod p) {
    String node = placer.bind(p.job().perRank()).orElse(null);
    if (node == null) {
      return false;
    }
    Workload.Job job = p.job();
    nodeOfRank[job.index()][p.rank()] = node;
    bound(job, p.rank(), node);
    if (++boundRanks[job.index()] == job.ranks()) {
      started(job);
    }
    return true;
  }
}
