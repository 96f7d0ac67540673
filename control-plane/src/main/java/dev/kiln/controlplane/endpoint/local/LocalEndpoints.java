package dev.kiln.controlplane.endpoint.local;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.TrainingJob;
import dev.kiln.controlplane.endpoint.EndpointAction;
import dev.kiln.controlplane.endpoint.EndpointCore;
import dev.kiln.controlplane.endpoint.EndpointDecision;
import dev.kiln.controlplane.endpoint.EndpointObserved;
import dev.kiln.controlplane.endpoint.EndpointObserved.RouterState;
import dev.kiln.controlplane.endpoint.RouterClient;
import dev.kiln.controlplane.local.LocalController;
import dev.kiln.controlplane.local.LocalMode;
import dev.kiln.controlplane.local.LocalProcesses;
import dev.kiln.controlplane.local.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's InferenceEndpoint shell: the same {@link EndpointCore} as in a cluster, with one
 * router process on {@code 127.0.0.1:7080} ({@code kiln.local.router-port}) in front of replicas
 * that are endpoint-server processes. A loop reconciles every endpoint each second, and at once
 * when an endpoint or a TrainingJob changes.
 */
@ApplicationScoped
public class LocalEndpoints implements LocalController {
  private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoints.class);

  private final EndpointCore core = new EndpointCore();
  private final Clock clock;
  private final Map<String, LocalReplicas> replicas = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Map<String, Instant> lowSince = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean pending =
      new java.util.concurrent.atomic.AtomicBoolean();
  private LocalMode.Running running;
  private ScheduledExecutorService loop;
  private RouterProcess router;
  private RouterClient routerClient;
  private ReplicaCommands commands;

  public LocalEndpoints(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void start(LocalMode.Running running) {
    this.running = running;
    var config = ConfigProvider.getConfig();
    commands = ReplicaCommands.from(config);
    String host = config.getOptionalValue("kiln.local.host", String.class).orElse("127.0.0.1");
    int port = config.getOptionalValue("kiln.local.router-port", Integer.class).orElse(7080);
    router =
        new RouterProcess(
            running.processes(),
            commands,
            host,
            port,
            running.layout().home().resolve("endpoints"));
    routerClient = router.client();
    router.stopLeftover();
    stopLeftovers();
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kiln-endpoints");
              t.setDaemon(true);
              return t;
            });
    running
        .store()
        .addListener(
            e -> {
              boolean relevant =
                  e.resource() instanceof InferenceEndpoint || e.resource() instanceof TrainingJob;
              // Bursts of changes (a job's metrics each epoch) coalesce into one tick.
              if (relevant && pending.compareAndSet(false, true)) {
                loop.execute(
                    () -> {
                      pending.set(false);
                      tickSafely();
                    });
              }
            });
    loop.scheduleWithFixedDelay(this::tickSafely, 0, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (loop == null) {
      return;
    }
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    replicas.values().forEach(LocalReplicas::stopAll);
    router.close();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("endpoint loop: {}", e.toString(), e);
    }
  }

  private synchronized void tick() {
    LocalStore store = running.store();
    var endpoints = store.list(InferenceEndpoint.class, null);
    // No endpoint, nothing running: the router's port stays free.
    if (endpoints.isEmpty() && replicas.isEmpty()) {
      return;
    }
    if (!router.ensureRunning()) {
      return;
    }
    Set<String> live = new HashSet<>();
    for (InferenceEndpoint endpoint : endpoints) {
      live.add(endpoint.getMetadata().getUid());
      try {
        reconcile(endpoint);
      } catch (RuntimeException e) {
        LOG.warn("[{}] reconcile failed: {}", endpoint.getMetadata().getName(), e.toString(), e);
      }
    }
    for (String uid : Set.copyOf(replicas.keySet())) {
      if (!live.contains(uid)) {
        LocalReplicas gone = replicas.remove(uid);
        gone.stopAll();
        gone.forget();
        routerClient.delete(names.remove(uid));
        lowSince.remove(uid);
      }
    }
  }

  private void reconcile(InferenceEndpoint endpoint) {
    String uid = endpoint.getMetadata().getUid();
    String name = endpoint.getMetadata().getName();
    String namespace = endpoint.getMetadata().getNamespace();
    names.put(uid, name);
    LocalReplicas mine = replicas.computeIfAbsent(uid, u -> newReplicas(endpoint));
    Instant now = clock.instant();
    mine.probe(now);
    Path record = replicasFile(endpoint);
    Optional<RouterState> routerState = routerClient.get(name);
    EndpointObserved observed = new EndpointObserved(jobs(endpoint), mine.observe(), routerState);
    EndpointDecision decision =
        core.reconcile(endpoint, observed, router.url(name), lowSince.get(uid), now);
    if (decision.lowSince() == null) {
      lowSince.remove(uid);
    } else {
      lowSince.put(uid, decision.lowSince());
    }
    for (EndpointAction action : decision.actions()) {
      apply(endpoint, mine, action, now);
    }
    routerState.ifPresent(
        state -> {
          Set<String> routed = new HashSet<>();
          state.routes().forEach(r -> routed.addAll(r.backends()));
          mine.stopDrained(routed, state.backendsInFlight());
        });
    mine.record(record);
    if (decision.statusChanged(endpoint.getStatus())) {
      endpoint.setStatus(decision.status());
      try {
        running.store().updateStatus(endpoint);
      } catch (LocalStore.StoreException e) {
        LOG.debug("[{}/{}] status not written: {}", namespace, name, e.getMessage());
      }
    }
  }

  private void apply(
      InferenceEndpoint endpoint, LocalReplicas mine, EndpointAction action, Instant now) {
    String name = endpoint.getMetadata().getName();
    if (action instanceof EndpointAction.EnsureVersion e) {
      mine.ensure(e.key(), e.modelUri(), e.replicas(), now);
    } else if (action instanceof EndpointAction.RemoveVersion r) {
      mine.remove(r.key());
    } else if (action instanceof EndpointAction.PushRoutes p) {
      if (!routerClient.put(name, p.routes())) {
        LOG.warn("[{}] the router did not take the new routes", name);
      }
    } else if (action instanceof EndpointAction.Event e) {
      running
          .events()
          .append(
              endpoint.getMetadata().getUid(),
              e.warning() ? "Warning" : "Normal",
              e.reason().text(),
              e.message());
      LOG.info("[{}] {}: {}", name, e.reason().text(), e.message());
    }
  }

  private Map<String, TrainingJob> jobs(InferenceEndpoint endpoint) {
    Map<String, TrainingJob> jobs = new HashMap<>();
    var spec = endpoint.getSpec();
    for (var source :
        new dev.kiln.api.spec.InferenceEndpointSpec.ModelSource[] {
          spec.model, spec.canary == null ? null : spec.canary.model
        }) {
      if (source != null && source.trainingJob != null) {
        running
            .store()
            .get(TrainingJob.class, endpoint.getMetadata().getNamespace(), source.trainingJob)
            .ifPresent(j -> jobs.put(source.trainingJob, j));
      }
    }
    return jobs;
  }

  private Path replicasFile(InferenceEndpoint endpoint) {
    return endpointsDir()
        .resolve(endpoint.getMetadata().getNamespace())
        .resolve(endpoint.getMetadata().getName())
        .resolve("replicas.json");
  }

  private Path endpointsDir() {
    return running.layout().home().resolve("endpoints");
  }

  /** Replicas an earlier control plane left running (it was killed): stopped, then started anew. */
  private void stopLeftovers() {
    Path dir = endpointsDir();
    if (!java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    try (var files = java.nio.file.Files.walk(dir, 3)) {
      files
          .filter(p -> p.getFileName().toString().equals("replicas.json"))
          .forEach(p -> LocalReplicas.stopRecorded(p, running.processes()));
    } catch (java.io.IOException e) {
      LOG.warn("cannot look for replicas left running in {}: {}", dir, e.toString());
    }
  }

  private LocalReplicas newReplicas(InferenceEndpoint endpoint) {
    String name = endpoint.getMetadata().getName();
    Path logs = replicasFile(endpoint).getParent();
    var batching =
        endpoint.getSpec().batching == null
            ? new dev.kiln.api.spec.InferenceEndpointSpec.Batching()
            : endpoint.getSpec().batching;
    LocalProcesses processes = running.processes();
    return new LocalReplicas(
        processes,
        (version, uri, port, log) -> {
          Map<String, String> env = new HashMap<>();
          env.put("KILN_MODEL_URI", uri);
          env.put("KILN_MODEL_NAME", name);
          env.put("KILN_HTTP_HOST", "127.0.0.1");
          env.put("KILN_HTTP_PORT", Integer.toString(port));
          env.put("KILN_MAX_BATCH_SIZE", Integer.toString(batching.maxBatchSize));
          env.put("KILN_MAX_DELAY_MICROS", Integer.toString(batching.maxDelayMicros));
          env.put("KILN_THREADS", "1");
          env.put("KILN_SHUTDOWN_TIMEOUT_SECONDS", "10");
          env.put("KILN_S3_ENDPOINT", running.s3().endpoint());
          env.put("AWS_ACCESS_KEY_ID", running.secrets().s3AccessKey());
          env.put("AWS_SECRET_ACCESS_KEY", running.secrets().s3SecretKey());
          return processes.start(
              new LocalProcesses.Launch(commands.replica(), env, log.getParent(), log));
        },
        logs);
  }
}
