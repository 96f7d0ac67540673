package dev.kiln.scheduler.bench;

import dev.kiln.scheduler.core.Admission;
import dev.kiln.scheduler.core.ClusterSnapshot;
import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.GangScheduler;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.Preemption;
import dev.kiln.scheduler.core.RunningGang;
import dev.kiln.scheduler.core.SchedulingDecision;
import dev.kiln.scheduler.core.Topology;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The stream through {@link GangScheduler}, as the control plane and binder would drive it. */
final class CoreSimulation extends Simulation {
  private final SimClock clock = new SimClock();
  private final GangScheduler scheduler = new GangScheduler(clock);
  private final Topology topology;
  private final Map<JobId, Workload.Job> jobs = new HashMap<>();
  private final Map<JobId, Gang> pending = new LinkedHashMap<>();
  // Kept in release order (start + max runtime): the core sorts by it, and sorted input is cheap.
  private final TreeMap<RunningGang, Workload.Job> running =
      new TreeMap<>(
          Comparator.comparing((RunningGang r) -> r.releasedBy().orElse(Instant.MAX))
              .thenComparing(r -> r.gang().job()));
  private final Map<JobId, RunningGang> runningByJob = new HashMap<>();
  private int backfilled;

  CoreSimulation(Workload workload) {
    super(workload);
    topology = Topology.of(workload.nodes());
    workload.jobs().forEach(j -> jobs.put(j.id(), j));
  }

  int backfilled() {
    return backfilled;
  }

  @Override
  protected void arrived(Workload.Job job) {
    pending.put(job.id(), job.gang());
  }

  @Override
  protected void finished(Workload.Job job) {
    RunningGang r = runningByJob.remove(job.id());
    running.remove(r);
    for (int rank = 0; rank < r.rankNodes().size(); rank++) {
      unbound(job, rank, r.rankNodes().get(rank));
    }
  }

  @Override
  protected void schedule(long now) {
    if (pending.isEmpty()) {
      return;
    }
    clock.now = Instant.ofEpochMilli(now);
    ClusterSnapshot snapshot =
        new ClusterSnapshot(topology, workload.queues(), List.copyOf(running.keySet()), Map.of());
    SchedulingDecision d = scheduler.decide(snapshot, List.copyOf(pending.values()));
    for (Preemption p : d.preempted()) {
      Workload.Job job = jobs.get(p.victim().gang().job());
      finished(job);
      evicted(job);
      pending.put(job.id(), p.victim().gang());
    }
    for (Admission a : d.admitted()) {
      Workload.Job job = jobs.get(a.gang().job());
      pending.remove(job.id());
      RunningGang r = a.running(clock.now);
      running.put(r, job);
      runningByJob.put(job.id(), r);
      List<String> nodes = a.rankNodes();
      for (int rank = 0; rank < nodes.size(); rank++) {
        bound(job, rank, nodes.get(rank));
      }
      started(job);
      backfilled += a.backfilled() ? 1 : 0;
    }
  }

  /** Simulated time, set before each cycle. */
  private static final class SimClock extends Clock {
    Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
