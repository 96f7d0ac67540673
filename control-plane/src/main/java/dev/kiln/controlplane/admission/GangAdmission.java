package dev.kiln.controlplane.admission;

import dev.kiln.api.Manifests;
import dev.kiln.api.Queue;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.QueueStatus;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.Reason;
import dev.kiln.scheduler.core.GangScheduler;
import dev.kiln.scheduler.core.Node;
import dev.kiln.scheduler.core.PendingGang;
import dev.kiln.scheduler.core.Preemption;
import dev.kiln.scheduler.core.SchedulingDecision;
import dev.kiln.scheduler.core.Topology;
import io.prometheus.client.Histogram;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission through the scheduler core, in both modes: each cycle reads the world from an {@link
 * AdmissionBackend}, decides over every waiting job at once, reserves admitted gangs until their
 * ranks exist, evicts preempted gangs, and writes Queue status. A job's verdict is its part of that
 * decision. Cycles run when a job is looked at and every {@code interval}.
 */
public final class GangAdmission implements Admission, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GangAdmission.class);

  private final GangScheduler scheduler;
  private final Clock clock;
  private volatile AdmissionBackend backend;
  private final Map<String, CyclePlan.Reservation> reserved = new HashMap<>();
  private final Map<String, CyclePlan.Eviction> evicted = new HashMap<>();
  private final Map<String, Instant> waitingSince = new HashMap<>();
  private final Set<String> bound = new java.util.HashSet<>();
  private final Map<String, QueueStatus> written = new HashMap<>();
  private List<Node> lastNodes = List.of();
  private Topology topology = Topology.of(List.of());
  private ScheduledExecutorService ticker;

  public GangAdmission(GangScheduler scheduler, Clock clock) {
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** Connects the world; until then every job waits. Starts cycles every {@code interval}. */
  public synchronized void attach(AdmissionBackend backend, Duration interval) {
    this.backend = backend;
    if (interval != null && ticker == null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "kiln-admission");
                t.setDaemon(true);
                return t;
              });
      ticker.scheduleWithFixedDelay(
          this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public Verdict admit(TrainingJob job) {
    if (backend == null) {
      return Verdict.queued(null, "waiting for the scheduler to start");
    }
    return run(job).orElse(Verdict.ADMITTED);
  }

  /** One cycle with no job in particular: reservations, evictions, Queue status, metrics. */
  public void cycle() {
    if (backend != null) {
      run(null);
    }
  }

  private void tick() {
    try {
      cycle();
    } catch (RuntimeException e) {
      // The next tick or reconcile runs the cycle again.
      LOG.warn("admission cycle failed: {}", e.toString());
    }
  }

  private Optional<Verdict> run(TrainingJob asked) {
    Outcome o = decide(asked);
    for (Eviction e : o.evictions()) {
      LOG.info(
          "preempting {}/{} attempt {}: {}",
          e.job().getMetadata().getNamespace(),
          e.job().getMetadata().getName(),
          e.attempt(),
          e.message());
      backend.evict(e.job(), e.attempt(), e.message());
    }
    o.queueWrites()
        .forEach(
            (queue, status) -> {
              try {
                backend.writeQueueStatus(queue, status);
              } catch (RuntimeException e) {
                // Advice for humans; the next cycle writes it again.
                synchronized (this) {
                  written.remove(queue.getMetadata().getName());
                }
                LOG.debug("writing status of queue {}: {}", queue.getMetadata().getName(), e);
              }
            });
    return o.verdict();
  }

  private record Eviction(TrainingJob job, int attempt, String message) {}

  private record Outcome(
      Optional<Verdict> verdict, List<Eviction> evictions, Map<Queue, QueueStatus> queueWrites) {}

  private synchronized Outcome decide(TrainingJob asked) {
    World world = withJob(backend.read(), asked);
    Instant now = clock.instant();
    forgetGone(world);
    if (!world.nodes().equals(lastNodes)) {
      lastNodes = world.nodes();
      topology = Topology.of(lastNodes);
    }
    CyclePlan plan = CyclePlan.of(world, topology, reserved, evicted, now);
    SchedulingDecision decision = new SchedulingDecision(List.of(), List.of(), List.of());
    if (!plan.waiting.isEmpty()) {
      try (Histogram.Timer t = AdmissionMetrics.DECISION_SECONDS.startTimer()) {
        decision = scheduler.decide(plan.snapshot, plan.pending());
      }
      AdmissionMetrics.CYCLES.inc();
      AdmissionMetrics.ATTEMPTS.labels("admitted").inc(decision.admitted().size());
      AdmissionMetrics.ATTEMPTS.labels("pending").inc(decision.pending().size());
    }
    List<Eviction> evictions = new ArrayList<>();
    for (Preemption p : decision.preempted()) {
      TrainingJob victim = plan.jobs.get(p.victim().gang().job());
      int attempt = CyclePlan.attempt(victim);
      evicted.put(victim.getMetadata().getUid(), new CyclePlan.Eviction(attempt, p.message()));
      reserved.remove(victim.getMetadata().getUid());
      evictions.add(new Eviction(victim, attempt, p.message()));
      AdmissionMetrics.PREEMPTIONS.inc();
    }
    for (var a : decision.admitted()) {
      TrainingJob job = plan.jobs.get(a.gang().job());
      reserved.put(
          job.getMetadata().getUid(),
          new CyclePlan.Reservation(CyclePlan.attempt(job), a.rankNodes()));
    }
    observeTimes(plan, now);
    Map<String, QueueStatus> statuses = QueueUsage.of(plan, decision, queueNames(world));
    updateGauges(plan, decision, statuses, world);
    Optional<Verdict> verdict =
        asked == null ? Optional.empty() : Optional.of(verdict(asked, decision));
    return new Outcome(verdict, evictions, queueWrites(world, statuses));
  }

  private Verdict verdict(TrainingJob job, SchedulingDecision decision) {
    CyclePlan.Eviction e = evicted.get(job.getMetadata().getUid());
    int attempt = CyclePlan.attempt(job);
    if (e != null && e.attempt() == attempt) {
      return Verdict.preempted(attempt, e.message());
    }
    Optional<PendingGang> pending = decision.pending(JobGangs.id(job));
    if (pending.isEmpty()) {
      return Verdict.ADMITTED;
    }
    PendingGang p = pending.get();
    Reason reason = Reason.ofText(p.reason().name()).orElse(Reason.QUEUED);
    String message =
        p.message() + "; position " + p.queuePosition() + " in queue " + p.gang().queue();
    return Verdict.queued(p.queuePosition(), reason, message);
  }

  /** The asked job as the caller sees it: it may be newer than the backend's cache. */
  private static World withJob(World world, TrainingJob asked) {
    if (asked == null || asked.getMetadata().getUid() == null) {
      return world;
    }
    List<TrainingJob> jobs = new ArrayList<>(world.jobs().size() + 1);
    for (TrainingJob j : world.jobs()) {
      if (!asked.getMetadata().getUid().equals(j.getMetadata().getUid())) {
        jobs.add(j);
      }
    }
    jobs.add(asked);
    return new World(world.nodes(), world.queues(), jobs, world.ranks(), world.externalUsage());
  }

  /** Drops what admission remembers of jobs that are gone or have moved on to a new attempt. */
  private void forgetGone(World world) {
    Map<String, Integer> attempts = new HashMap<>();
    for (TrainingJob j : world.jobs()) {
      if (CyclePlan.admissible(j)) {
        attempts.put(j.getMetadata().getUid(), CyclePlan.attempt(j));
      }
    }
    reserved
        .entrySet()
        .removeIf(e -> !Objects.equals(attempts.get(e.getKey()), e.getValue().attempt()));
    evicted
        .entrySet()
        .removeIf(e -> !Objects.equals(attempts.get(e.getKey()), e.getValue().attempt()));
    waitingSince.keySet().removeIf(k -> !attempts.containsKey(k.substring(0, k.lastIndexOf('#'))));
    bound.removeIf(k -> !attempts.containsKey(k.substring(0, k.lastIndexOf('#'))));
  }

  /** Submit-to-bound: from the first cycle an attempt waited in to every rank of it placed. */
  private void observeTimes(CyclePlan plan, Instant now) {
    for (CyclePlan.Waiting w : plan.waiting) {
      waitingSince.putIfAbsent(w.job().getMetadata().getUid() + "#" + w.attempt(), now);
    }
    for (CyclePlan.Holding h : plan.holdings) {
      String key = h.job().getMetadata().getUid() + "#" + h.attempt();
      if (!h.bound()) {
        waitingSince.putIfAbsent(key, now);
      } else if (bound.add(key)) {
        Instant since = waitingSince.remove(key);
        if (since != null) {
          AdmissionMetrics.SUBMIT_TO_BOUND.observe(Duration.between(since, now).toMillis() / 1e3);
        }
      }
    }
  }

  private static List<String> queueNames(World world) {
    Set<String> names = new TreeSet<>();
    names.add(JobGangs.DEFAULT_QUEUE);
    world.queues().forEach(q -> names.add(q.getMetadata().getName()));
    return List.copyOf(names);
  }

  private void updateGauges(
      CyclePlan plan, SchedulingDecision decision, Map<String, QueueStatus> statuses, World w) {
    statuses.forEach(
        (q, s) -> {
          AdmissionMetrics.PENDING.labels(q).set(s.pending);
          AdmissionMetrics.ADMITTED.labels(q).set(s.admitted);
        });
    int total = topology.total().gpus();
    int used =
        statuses.values().stream().mapToInt(s -> s.used.gpu).sum()
            + w.externalUsage().values().stream().mapToInt(r -> r.gpus()).sum();
    AdmissionMetrics.GPUS.labels("allocatable").set(total);
    AdmissionMetrics.GPUS.labels("used").set(used);
    AdmissionMetrics.GPU_UTILIZATION.set(total == 0 ? 0 : Math.min(1.0, (double) used / total));
  }

  /** Status of the queues that exist as objects, where it differs from what they say. */
  private Map<Queue, QueueStatus> queueWrites(World world, Map<String, QueueStatus> statuses) {
    Map<Queue, QueueStatus> writes = new HashMap<>();
    for (Queue q : world.queues()) {
      String name = q.getMetadata().getName();
      QueueStatus next = statuses.get(name);
      if (next == null || same(next, q.getStatus()) || same(next, written.get(name))) {
        continue;
      }
      written.put(name, next);
      writes.put(q, next);
    }
    written
        .keySet()
        .retainAll(
            world.queues().stream()
                .map(q -> q.getMetadata().getName())
                .collect(Collectors.toSet()));
    return writes;
  }

  private static boolean same(QueueStatus a, QueueStatus b) {
    return b != null && Manifests.json().valueToTree(a).equals(Manifests.json().valueToTree(b));
  }

  @Override
  public synchronized void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }
}
