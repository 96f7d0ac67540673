package dev.kiln.controlplane.admission;

import dev.kiln.api.Manifests;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.scheduler.core.ClusterSnapshot;
import dev.kiln.scheduler.core.Gang;
import dev.kiln.scheduler.core.JobId;
import dev.kiln.scheduler.core.QueueSpec;
import dev.kiln.scheduler.core.RunningGang;
import dev.kiln.scheduler.core.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One admission cycle's input, classified: jobs whose gang holds resources (ranks of the attempt in
 * force exist, or admission reserved them), jobs waiting to start, and the rest. Pure.
 */
final class CyclePlan {
  private static final Set<Phase> ACTIVE = EnumSet.of(Phase.PENDING, Phase.QUEUED, Phase.RUNNING);

  /** A gang admitted for an attempt whose ranks may not exist yet; rank i goes to node i. */
  record Reservation(int attempt, List<String> rankNodes) {}

  /** An attempt evicted for a gang of higher priority, until the job moves past it. */
  record Eviction(int attempt, String message) {}

  /** A job whose gang holds resources; {@code bound}: every rank placed on a node. */
  record Holding(TrainingJob job, int attempt, RunningGang running, boolean bound) {}

  /** A job waiting for admission. */
  record Waiting(TrainingJob job, int attempt, Gang gang) {}

  final ClusterSnapshot snapshot;
  final List<Holding> holdings = new ArrayList<>();
  final List<Waiting> waiting = new ArrayList<>();
  final Map<JobId, TrainingJob> jobs = new HashMap<>();

  private CyclePlan(ClusterSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  static CyclePlan of(
      World world,
      Topology topology,
      Map<String, Reservation> reserved,
      Map<String, Eviction> evicted,
      Instant now) {
    List<Holding> holdings = new ArrayList<>();
    List<Waiting> waiting = new ArrayList<>();
    Map<JobId, TrainingJob> jobs = new HashMap<>();
    for (TrainingJob job : world.jobs()) {
      if (!admissible(job)) {
        continue;
      }
      String uid = job.getMetadata().getUid();
      int attempt = attempt(job);
      Eviction e = evicted.get(uid);
      if (e != null && e.attempt() == attempt) {
        continue;
      }
      Gang gang = JobGangs.gang(job, spec(job), now);
      jobs.put(gang.job(), job);
      List<World.LiveRank> live =
          world.ranks().getOrDefault(uid, List.of()).stream()
              .filter(r -> r.attempt() == attempt && !r.finished())
              .toList();
      Reservation r = reserved.get(uid);
      if (r != null && r.attempt() != attempt) {
        r = null;
      }
      if (!live.isEmpty() || r != null) {
        holdings.add(holding(job, attempt, gang, live, r, now));
      } else if (job.getStatus() == null || job.getStatus().phase != Phase.RUNNING) {
        waiting.add(new Waiting(job, attempt, gang));
      }
    }
    ClusterSnapshot snapshot =
        new ClusterSnapshot(
            topology,
            queues(world.queues()),
            holdings.stream().map(Holding::running).toList(),
            world.externalUsage());
    CyclePlan plan = new CyclePlan(snapshot);
    plan.holdings.addAll(holdings);
    plan.waiting.addAll(waiting);
    plan.jobs.putAll(jobs);
    return plan;
  }

  List<Gang> pending() {
    return waiting.stream().map(Waiting::gang).toList();
  }

  /** The attempt in force; a job not yet reconciled starts with attempt 1. */
  static int attempt(TrainingJob job) {
    Integer a = job.getStatus() == null ? null : job.getStatus().attempt;
    return a == null || a < 1 ? 1 : a;
  }

  /** Pending, Queued or Running (or new), not suspended, with a valid spec. */
  static boolean admissible(TrainingJob job) {
    Phase phase = job.getStatus() == null ? null : job.getStatus().phase;
    if (phase != null && !ACTIVE.contains(phase)) {
      return false;
    }
    if (job.getSpec() == null || job.getSpec().suspended()) {
      return false;
    }
    // An accepted spec was valid; a refused edit after it does not change what the job holds.
    boolean accepted = job.getStatus() != null && job.getStatus().lastReconciledSpec != null;
    return accepted || SpecValidator.validate(job).isEmpty();
  }

  /** The spec in force: the last one the core accepted, which a refused edit does not change. */
  static TrainingJobSpec spec(TrainingJob job) {
    String accepted = job.getStatus() == null ? null : job.getStatus().lastReconciledSpec;
    return accepted == null ? job.getSpec() : Manifests.fromJson(accepted, TrainingJobSpec.class);
  }

  private static Holding holding(
      TrainingJob job,
      int attempt,
      Gang gang,
      List<World.LiveRank> live,
      Reservation r,
      Instant now) {
    List<String> nodes = new ArrayList<>(Collections.nCopies(gang.ranks(), ""));
    boolean[] placed = new boolean[gang.ranks()];
    for (World.LiveRank rank : live) {
      if (rank.rank() >= 0 && rank.rank() < gang.ranks() && rank.node() != null) {
        nodes.set(rank.rank(), rank.node());
        placed[rank.rank()] = true;
      }
    }
    boolean bound = true;
    for (int i = 0; i < placed.length; i++) {
      if (!placed[i]) {
        bound = false;
        // Not placed yet: count it where admission planned it, so capacity is not given twice.
        if (r != null && i < r.rankNodes().size()) {
          nodes.set(i, r.rankNodes().get(i));
        }
      }
    }
    String started = job.getStatus() == null ? null : job.getStatus().startTime;
    Instant since = JobGangs.instant(started).orElse(now);
    return new Holding(job, attempt, new RunningGang(gang, nodes, since), bound);
  }

  /** The Queue objects, plus {@code default} (unlimited) unless a Queue of that name exists. */
  static List<QueueSpec> queues(List<Queue> queues) {
    List<QueueSpec> out = new ArrayList<>();
    boolean hasDefault = false;
    for (Queue q : queues) {
      out.add(JobGangs.queue(q));
      hasDefault |= JobGangs.DEFAULT_QUEUE.equals(q.getMetadata().getName());
    }
    if (!hasDefault) {
      out.add(JobGangs.implicitDefault());
    }
    return out;
  }
}
