package dev.kiln.controlplane.local;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.core.Action;
import dev.kiln.controlplane.core.Decision;
import dev.kiln.controlplane.core.DecisionRunner;
import dev.kiln.controlplane.core.Observed;
import dev.kiln.controlplane.core.TrainingJobCore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The local shell's loop: the same {@link TrainingJobCore} as in cluster mode, driven over the
 * {@link LocalStore}. One thread reconciles one job at a time: when the store says it changed, when
 * the core asked to look again, and every resync period while it has ranks (a process exit raises
 * no event). Deleted jobs' ranks, and ranks whose job is gone, are stopped and forgotten.
 */
public final class LocalReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalReconciler.class);
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Set<Phase> AT_REST =
      EnumSet.of(Phase.SUCCEEDED, Phase.FAILED, Phase.SUSPENDED);

  private final LocalStore store;
  private final TrainingJobCore core;
  private final LocalWorkloads workloads;
  private final DecisionRunner runner;
  private final LocalLayout layout;
  private final Clock clock;
  private final Duration resync;
  private final Map<String, Instant> due = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private volatile Thread loopThread;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kiln-local-reconciler");
            t.setDaemon(true);
            loopThread = t;
            return t;
          });
  private Instant lastSweep = Instant.EPOCH;

  public LocalReconciler(
      LocalStore store,
      TrainingJobCore core,
      LocalWorkloads workloads,
      LocalJobEffects effects,
      LocalLayout layout,
      Clock clock,
      Duration resync) {
    this.store = store;
    this.core = core;
    this.workloads = workloads;
    this.runner = new DecisionRunner(workloads, effects);
    this.layout = layout;
    this.clock = clock;
    this.resync = resync;
  }

  /** Starts the loop; every stored job is looked at first (re-adopting what still runs). */
  public void start() {
    store.addListener(this::onStoreEvent);
    store.list(TrainingJob.class, null).forEach(j -> due.put(key(j), Instant.EPOCH));
    loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onStoreEvent(LocalStore.StoreEvent e) {
    if (!(e.resource() instanceof TrainingJob job)) {
      return;
    }
    String key = key(job);
    if ("DELETED".equals(e.type())) {
      deleted.add(job.getMetadata().getUid());
      due.remove(key);
      return;
    }
    // The loop's own status writes need no second look.
    if (Thread.currentThread() != loopThread) {
      due.put(key, Instant.EPOCH);
    }
  }

  private void tick() {
    try {
      Instant now = clock.instant();
      if (!now.isBefore(lastSweep.plus(resync))) {
        lastSweep = now;
        sweep();
      }
      List<String> ready =
          due.entrySet().stream()
              .filter(e -> !e.getValue().isAfter(now))
              .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
              .map(Map.Entry::getKey)
              .toList();
      for (String key : ready) {
        due.remove(key);
        reconcile(key);
      }
    } catch (RuntimeException e) {
      LOG.error("local reconcile loop", e);
    }
  }

  /** Stops and forgets the ranks of deleted jobs, and of jobs the store no longer has. */
  private void sweep() {
    Set<String> known =
        store.list(TrainingJob.class, null).stream()
            .map(j -> j.getMetadata().getUid())
            .collect(Collectors.toSet());
    workloads.recordedJobs().stream().filter(uid -> !known.contains(uid)).forEach(deleted::add);
    for (String uid : List.copyOf(deleted)) {
      workloads.stopAll(uid);
      if (workloads.reap(uid)) {
        deleted.remove(uid);
        deleteFolder(layout.job(uid));
        LOG.info("job {} is gone, and so are its ranks", uid);
      }
    }
  }

  private void reconcile(String key) {
    String[] parts = key.split("/", 2);
    TrainingJob job = store.get(TrainingJob.class, parts[0], parts[1]).orElse(null);
    if (job == null) {
      return;
    }
    MDC.put("kiln.namespace", parts[0]);
    MDC.put("kiln.name", parts[1]);
    MDC.put("kiln.generation", String.valueOf(job.getMetadata().getGeneration()));
    try {
      Observed observed = workloads.observe(job);
      Decision decision = core.reconcile(job, observed, clock.instant());
      runner.run(job, decision);
      if (decision.actions().stream().anyMatch(a -> a instanceof Action.DeleteJob)) {
        return;
      }
      if (decision.statusChanged(job.getStatus())) {
        job.setStatus(decision.status());
        store.updateStatus(job);
      }
      decision.requeueAfter().ifPresent(d -> later(key, d));
      if (!atRest(decision, observed)) {
        later(key, resync);
      }
    } catch (LocalStore.StoreException e) {
      if (e.reason() == LocalStore.Reason.CONFLICT) {
        due.put(key, Instant.EPOCH);
      } else if (e.reason() != LocalStore.Reason.NOT_FOUND) {
        LOG.warn("reconcile failed: {}", e.getMessage());
        later(key, RETRY);
      }
    } catch (RuntimeException e) {
      LOG.error("reconcile failed; retrying in {}", RETRY, e);
      later(key, RETRY);
    } finally {
      MDC.remove("kiln.namespace");
      MDC.remove("kiln.name");
      MDC.remove("kiln.generation");
    }
  }

  /** Finished or suspended, with no rank left running or stopping: nothing will change alone. */
  private static boolean atRest(Decision decision, Observed observed) {
    boolean ranksSettled =
        observed.ranks().stream().noneMatch(r -> r.active() || r.deleting())
            && decision.actions().stream().noneMatch(a -> a instanceof Action.StopRanks);
    return decision.status().phase != null
        && AT_REST.contains(decision.status().phase)
        && ranksSettled;
  }

  private void later(String key, Duration after) {
    Instant at = clock.instant().plus(after);
    due.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
  }

  private static String key(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static void deleteFolder(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }

  /** Stops the loop; ranks keep running (a restarted control plane re-adopts them). */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
