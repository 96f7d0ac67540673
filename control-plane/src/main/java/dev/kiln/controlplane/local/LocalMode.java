package dev.kiln.controlplane.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.controlplane.config.KilnConfig;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.TrainingJobCore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode ({@code kiln.mode=local}): on start, locks the home folder, opens the store, starts
 * (or adopts) the embedded S3 server and starts the reconcile loop (which re-adopts ranks that
 * outlived an earlier control plane), and writes {@code local.json} for the CLI; on a graceful
 * stop, stops every rank it started, then the S3 server. In cluster mode it does nothing.
 */
@ApplicationScoped
public class LocalMode {
  private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KilnConfig config;
  private final LocalSettings settings;
  private final TrainingJobCore core;
  private final JobTokens tokens;
  private final Admission admission;
  private final Clock clock;
  private final String httpHost;
  private final int httpPort;
  private final Instance<LocalController> controllers;
  private final java.util.List<LocalController> started = new java.util.ArrayList<>();
  private volatile Running running;
  private FileChannel lockChannel;
  private FileLock lock;

  /** What runs while local mode is up. */
  public record Running(
      LocalLayout layout,
      LocalSecrets secrets,
      LocalStore store,
      S3Process.Server s3Server,
      S3Api s3,
      LocalProcesses processes,
      RankTable ranks,
      LocalWorkloads workloads,
      LocalReconciler reconciler,
      JobEvents events,
      Path configFile) {}

  public LocalMode(
      KilnConfig config,
      LocalSettings settings,
      TrainingJobCore core,
      JobTokens tokens,
      Admission admission,
      Clock clock,
      @ConfigProperty(name = "quarkus.http.host") String httpHost,
      @ConfigProperty(name = "quarkus.http.port") int httpPort,
      Instance<LocalController> controllers) {
    this.config = config;
    this.settings = settings;
    this.core = core;
    this.tokens = tokens;
    this.admission = admission;
    this.clock = clock;
    this.httpHost = httpHost;
    this.httpPort = httpPort;
    this.controllers = controllers;
  }

  void onStart(@Observes StartupEvent event) throws Exception {
    if (config.mode() != KilnConfig.Mode.local) {
      return;
    }
    LocalLayout layout = new LocalLayout(LocalModeConfig.home(settings.home().orElse(null)));
    lockHome(layout.home());
    LocalSecrets secrets = LocalSecrets.loadOrCreate(layout.home());
    LocalStore store = new LocalStore(layout.store(), clock);
    LocalProcesses processes = new LocalProcesses();
    S3Process.Server s3Server =
        S3Process.start(
            layout, settings.host(), settings.s3Port(), secrets, processes, settings.stopGrace());
    S3Api s3 = new S3Api(s3Server.endpoint(), secrets.s3AccessKey(), secrets.s3SecretKey());
    RankTable ranks = new RankTable(layout.ranks());
    JobEvents events = new JobEvents(layout, clock);
    String address = advertised() + ":" + httpPort;
    LocalWorkloads workloads =
        new LocalWorkloads(
            new LocalWorkloads.Context(
                layout,
                ranks,
                processes,
                s3,
                secrets,
                tokens,
                admission,
                new RankCommand(java(), workerClasspath()),
                events,
                clock,
                settings.stopGrace(),
                address,
                settings.host(),
                settings.logMetricsBytes()));
    LocalReconciler reconciler =
        new LocalReconciler(
            store,
            core,
            workloads,
            new LocalJobEffects(store, events),
            layout,
            clock,
            settings.resync());
    Path configFile = configFile();
    running =
        new Running(
            layout,
            secrets,
            store,
            s3Server,
            s3,
            processes,
            ranks,
            workloads,
            reconciler,
            events,
            configFile);
    // Controllers first: admission must be up before the loop asks it about the first job.
    for (LocalController controller : controllers) {
      controller.start(running);
      started.add(controller);
    }
    reconciler.start();
    writeConfigFile(configFile, address, s3.endpoint(), secrets, layout.home());
    LOG.info(
        "Kiln local mode: control plane {}, S3 {}, home {}; the Kubernetes operator is off",
        address,
        s3.endpoint(),
        layout.home());
  }

  void onStop(@Observes ShutdownEvent event) {
    Running r = running;
    if (r == null) {
      return;
    }
    running = null;
    for (LocalController controller : started) {
      try {
        controller.close();
      } catch (RuntimeException e) {
        LOG.warn("stopping {}: {}", controller.getClass().getSimpleName(), e.toString());
      }
    }
    started.clear();
    r.reconciler().close();
    r.workloads().close();
    stopAllRanks(r);
    try {
      r.s3Server().close();
    } catch (Exception e) {
      LOG.warn("stopping the embedded S3 server: {}", e.toString());
    }
    removeConfigFile(r.configFile());
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("releasing the home lock", e);
    }
    LOG.info("Kiln local mode stopped");
  }

  /** Whether this control plane runs local mode. */
  public boolean active() {
    return running != null;
  }

  /** What local mode runs; fails outside local mode. */
  public Running require() {
    Running r = running;
    if (r == null) {
      throw new IllegalStateException(
          "the control plane does not run local mode (kiln.mode=local)");
    }
    return r;
  }

  /** A graceful stop ends every rank it started: SIGTERM, then SIGKILL after the grace period. */
  private void stopAllRanks(Running r) {
    var live =
        r.ranks().all().stream()
            .filter(rank -> rank.process() != null && r.processes().alive(rank.process()))
            .toList();
    live.forEach(rank -> r.processes().terminate(rank.process()));
    long deadline = System.nanoTime() + settings.stopGrace().toNanos();
    for (RankRecord rank : live) {
      r.processes().awaitExit(rank.process(), Duration.ofNanos(deadline - System.nanoTime()));
      r.processes().kill(rank.process());
    }
    if (!live.isEmpty()) {
      LOG.info("stopped {} rank process(es)", live.size());
    }
  }

  /** One control plane per home: a second one would start every rank twice. */
  private void lockHome(Path home) throws IOException {
    Files.createDirectories(home);
    lockChannel =
        FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "another local control plane uses " + home + "; stop it with: kiln local down");
    }
  }

  private String advertised() {
    return "0.0.0.0".equals(httpHost) ? "127.0.0.1" : httpHost;
  }

  private Path configFile() {
    return settings
        .configFile()
        .map(Path::of)
        .orElse(Path.of(System.getProperty("user.home"), ".kiln", "local.json"))
        .toAbsolutePath();
  }

  private String java() {
    return settings
        .java()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The worker's build output in the checkout; ranks of the built-in trainer run from it. */
  private String workerClasspath() {
    if (settings.workerClasspath().isPresent()) {
      return settings.workerClasspath().get();
    }
    Path repo =
        settings
            .repo()
            .or(() -> java.util.Optional.ofNullable(System.getenv("KILN_HOME")))
            .map(Path::of)
            // <repo>/control-plane/target/quarkus-app when run from the checkout's build.
            .or(() -> S3Process.packagedApp().map(app -> app.getParent().getParent().getParent()))
            .orElse(Path.of("").toAbsolutePath());
    Path worker = repo.resolve("worker").resolve("target");
    // The packaged jar changes only on `package`; classes/ changes on every compile, even while a
    // rank loads from it.
    Path jar;
    try (var jars = Files.list(worker)) {
      jar =
          jars.filter(
                  p -> p.getFileName().toString().matches("worker-\\d[\\w.]*(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElse(worker.resolve("classes"));
    } catch (java.io.IOException e) {
      jar = worker.resolve("classes");
    }
    if (!Files.exists(jar)) {
      LOG.warn(
          "no worker build at {}: built-in trainer jobs will fail until it is built"
              + " (./mvnw install -DskipTests); set kiln.local.repo to the Kiln checkout",
          worker);
    }
    return jar + java.io.File.pathSeparator + worker.resolve("lib") + "/*";
  }

  private static void writeConfigFile(
      Path file, String address, String s3, LocalSecrets secrets, Path home) {
    ObjectNode json = JSON.createObjectNode();
    json.put("address", address);
    json.put("s3", s3);
    json.put("token", secrets.apiToken());
    json.put("home", home.toString());
    json.put("pid", ProcessHandle.current().pid());
    json.put("s3AccessKey", secrets.s3AccessKey());
    json.put("s3SecretKey", secrets.s3SecretKey());
    AtomicFiles.write(file, json.toPrettyString() + "\n", true);
  }

  /** Removes {@code local.json} if it still describes this control plane. */
  private static void removeConfigFile(Path file) {
    try {
      String text = AtomicFiles.read(file).orElse(null);
      if (text != null
          && JSON.readTree(text).path("pid").asLong() == ProcessHandle.current().pid()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot remove {}: {}", file, e.toString());
    }
  }
}
