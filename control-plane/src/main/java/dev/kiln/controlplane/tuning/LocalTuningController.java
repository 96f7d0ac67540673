package dev.kiln.controlplane.tuning;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.controlplane.local.JobEvents;
import dev.kiln.controlplane.local.LocalController;
import dev.kiln.controlplane.local.LocalMode;
import dev.kiln.controlplane.local.LocalStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Local mode's TuningJob shell: the same {@link TuningJobCore} as on a cluster, over the {@link
 * LocalStore}. One thread reconciles one sweep at a time, when the sweep or one of its trials
 * changes in the store, and every {@link TuningJobCore#POLL} while it runs.
 */
@ApplicationScoped
public class LocalTuningController implements LocalController {
  private static final Logger LOG = LoggerFactory.getLogger(LocalTuningController.class);
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final TuningJobCore core = new TuningJobCore();
  private final Clock clock;
  private final Map<String, Instant> due = new ConcurrentHashMap<>();
  private final Consumer<LocalStore.StoreEvent> listener = this::onStoreEvent;
  private ScheduledExecutorService loop;
  private volatile Thread loopThread;
  private LocalStore store;
  private JobEvents events;

  public LocalTuningController(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void start(LocalMode.Running running) {
    this.store = running.store();
    this.events = running.events();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kiln-local-tuning");
              t.setDaemon(true);
              loopThread = t;
              return t;
            });
    store.addListener(listener);
    store.list(TuningJob.class, null).forEach(s -> due.put(key(s), Instant.EPOCH));
    loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onStoreEvent(LocalStore.StoreEvent e) {
    HasMetadata r = e.resource();
    if (r instanceof TuningJob sweep) {
      if ("DELETED".equals(e.type())) {
        due.remove(key(sweep));
      } else if (Thread.currentThread() != loopThread) {
        due.put(key(sweep), Instant.EPOCH);
      }
    } else if (r instanceof TrainingJob job) {
      // A trial's report or phase change is the sweep's cue: early stops land within a report.
      owner(job).ifPresent(o -> due.put(job.getMetadata().getNamespace() + "/" + o, Instant.EPOCH));
    }
  }

  private static java.util.Optional<String> owner(TrainingJob job) {
    List<OwnerReference> refs = job.getMetadata().getOwnerReferences();
    if (refs == null) {
      return java.util.Optional.empty();
    }
    return refs.stream()
        .filter(o -> TuningJob.KIND.equals(o.getKind()))
        .map(OwnerReference::getName)
        .findFirst();
  }

  private void tick() {
    try {
      Instant now = clock.instant();
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
      LOG.error("local tuning loop", e);
    }
  }

  private void reconcile(String key) {
    String[] parts = key.split("/", 2);
    TuningJob sweep = store.get(TuningJob.class, parts[0], parts[1]).orElse(null);
    if (sweep == null) {
      return;
    }
    MDC.put("kiln.resource", " " + TuningJob.KIND + " " + key);
    try {
      List<TrainingJob> trials =
          store.list(TrainingJob.class, parts[0]).stream()
              .filter(j -> parts[1].equals(owner(j).orElse(null)))
              .toList();
      SweepDecision decision = core.reconcile(sweep, trials, clock.instant());
      LocalTrialActions actions = new LocalTrialActions(store, events, sweep, clock);
      decision.actions().forEach(actions::run);
      if (decision.statusChanged(sweep.getStatus())) {
        sweep.setStatus(decision.status());
        store.updateStatus(sweep);
      }
      decision.requeueAfter().ifPresent(d -> later(key, d));
    } catch (LocalStore.StoreException e) {
      if (e.reason() == LocalStore.Reason.CONFLICT) {
        due.put(key, Instant.EPOCH);
      } else if (e.reason() != LocalStore.Reason.NOT_FOUND) {
        LOG.warn("sweep reconcile failed: {}", e.getMessage());
        later(key, RETRY);
      }
    } catch (RuntimeException e) {
      LOG.error("sweep reconcile failed; retrying in {}", RETRY, e);
      later(key, RETRY);
    } finally {
      MDC.remove("kiln.resource");
    }
  }

  private void later(String key, Duration after) {
    Instant at = clock.instant().plus(after);
    due.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
  }

  private static String key(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  @Override
  public void close() {
    if (loop == null) {
      return;
    }
    if (store != null) {
      store.removeListener(listener);
    }
    loop.shutdownNow();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
