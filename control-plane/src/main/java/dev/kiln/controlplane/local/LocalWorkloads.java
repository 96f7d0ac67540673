package dev.kiln.controlplane.local;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.TrainingJobSpec;
import dev.kiln.controlplane.core.Admission;
import dev.kiln.controlplane.core.JobTokens;
import dev.kiln.controlplane.core.LogMetrics;
import dev.kiln.controlplane.core.MetricsBook;
import dev.kiln.controlplane.core.Observed;
import dev.kiln.controlplane.core.RankContract;
import dev.kiln.controlplane.core.RankPhase;
import dev.kiln.controlplane.core.RankProblem;
import dev.kiln.controlplane.core.RankState;
import dev.kiln.controlplane.core.Workloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local side of the {@link Workloads} port: ranks are detached local processes ({@link
 * LocalProcesses}) recorded in a {@link RankTable}; what they share is a spec file in the job's
 * folder. Stopping is asynchronous, like deleting a pod: SIGTERM now, SIGKILL after the grace
 * period, and the rank reads as deleting until its process is gone.
 */
public final class LocalWorkloads implements Workloads {
  private static final Logger LOG = LoggerFactory.getLogger(LocalWorkloads.class);

  /** Where the CLI's submitting folder is kept: a container job's ranks start there. */
  public static final String WORKDIR_ANNOTATION = "kiln.dev/local-workdir";

  /** How much of a failed rank's log its condition message carries. */
  static final int LOG_TAIL_BYTES = 2048;

  /** Wiring: where things are and what ranks reach. */
  public record Context(
      LocalLayout layout,
      RankTable table,
      LocalProcesses processes,
      S3Api s3,
      LocalSecrets secrets,
      JobTokens tokens,
      Admission admission,
      RankCommand commands,
      JobEvents events,
      Clock clock,
      Duration stopGrace,
      String controlPlaneAddress,
      String host,
      int logMetricsBytes) {}

  private final Context c;
  private final ContainerStaging staging;
  private final Object launchLock = new Object();

  public LocalWorkloads(Context context) {
    this.c = context;
    this.staging = new ContainerStaging(context.s3());
  }

  @Override
  public Observed observe(TrainingJob job) {
    String uid = job.getMetadata().getUid();
    List<RankState> ranks = new ArrayList<>();
    for (RankRecord r : c.table().of(uid)) {
      observe(job, r).ifPresent(ranks::add);
    }
    String digest = AtomicFiles.read(c.layout().specDigest(uid)).map(String::strip).orElse(null);
    return new Observed(ranks, digest, c.admission().admit(job), logMetrics(job));
  }

  private Optional<RankState> observe(TrainingJob job, RankRecord r) {
    if (r.process() == null) {
      if (staging.busy(r.name())) {
        return Optional.of(state(r, RankPhase.PENDING, r.stopping(), null, null));
      }
      if (r.stopping()) {
        c.table().remove(r);
        return Optional.empty();
      }
      if (r.problem() != null) {
        return Optional.of(failed(r, RankProblem.EXIT_NON_ZERO, null, r.problem()));
      }
      return Optional.of(
          failed(r, RankProblem.LOST, null, "the control plane stopped before the rank started"));
    }
    LocalProcesses.State s = c.processes().observe(r.process());
    if (s instanceof LocalProcesses.State.Running) {
      if (r.stopping()) {
        if (!c.clock().instant().isBefore(r.stopRequestedAt().plus(c.stopGrace()))) {
          c.processes().kill(r.process());
        }
        return Optional.of(state(r, RankPhase.RUNNING, true, null, null));
      }
      return Optional.of(state(r, RankPhase.RUNNING, false, null, null));
    }
    if (r.stopping()) {
      c.table().remove(r);
      return Optional.empty();
    }
    if (s instanceof LocalProcesses.State.Exited e) {
      if (e.code() == 0) {
        return Optional.of(succeeded(job, r));
      }
      return Optional.of(failed(r, RankProblem.EXIT_NON_ZERO, e.code(), logTail(r)));
    }
    return Optional.of(
        failed(
            r,
            RankProblem.LOST,
            null,
            "its process vanished without an exit code (killed with its wrapper, or the machine"
                + " restarted)"));
  }

  /** Exit 0; rank 0 of a container job is done once its model folder is uploaded. */
  private RankState succeeded(TrainingJob job, RankRecord r) {
    if (!r.container() || r.rank() != 0 || r.modelUploaded()) {
      return state(r, RankPhase.SUCCEEDED, false, 0, null);
    }
    if (r.problem() != null) {
      return failed(r, RankProblem.EXIT_NON_ZERO, 0, "uploading the model failed: " + r.problem());
    }
    TrainingJobSpec spec = job.getSpec();
    staging.stageOut(
        r,
        spec.output.uri,
        problem ->
            c.table()
                .get(r.jobUid(), r.name())
                .ifPresent(
                    now ->
                        c.table()
                            .put(
                                problem == null
                                    ? now.withModelUploaded()
                                    : now.withProblem(problem))));
    return state(r, RankPhase.RUNNING, false, null, null);
  }

  private RankState state(
      RankRecord r, RankPhase phase, boolean deleting, Integer exitCode, String message) {
    boolean started = r.process() != null;
    return new RankState(
        r.name(),
        r.attempt(),
        r.rank(),
        phase,
        phase == RankPhase.RUNNING && !deleting,
        started,
        started ? RankState.Scheduling.SCHEDULED : RankState.Scheduling.WAITING,
        RankProblem.NONE,
        exitCode,
        message,
        deleting,
        r.createdAt());
  }

  private RankState failed(RankRecord r, RankProblem problem, Integer exitCode, String message) {
    return new RankState(
        r.name(),
        r.attempt(),
        r.rank(),
        RankPhase.FAILED,
        false,
        r.process() != null,
        RankState.Scheduling.SCHEDULED,
        problem,
        exitCode,
        message,
        false,
        r.createdAt());
  }

  @Override
  public void prepare(TrainingJob job, String specJson, String digest) {
    String uid = job.getMetadata().getUid();
    AtomicFiles.write(c.layout().specFile(uid), specJson);
    // The digest is written last: it says the spec file is complete.
    AtomicFiles.write(c.layout().specDigest(uid), digest);
    try {
      c.s3().ensureBucket(job.getSpec().output.uri);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void start(TrainingJob job, TrainingJobSpec spec, int attempt, List<Integer> ranks) {
    String uid = job.getMetadata().getUid();
    List<RankRecord> mine = c.table().of(uid).stream().filter(r -> r.attempt() == attempt).toList();
    Set<Integer> present = mine.stream().map(RankRecord::rank).collect(Collectors.toSet());
    // Every rank of an attempt rendezvous at the same port.
    int masterPort = mine.isEmpty() ? freePort() : mine.get(0).masterPort();
    String problem = RankCommand.problem(spec);
    for (int rank : ranks) {
      if (present.contains(rank)) {
        continue;
      }
      RankRecord r = record(job, attempt, rank, masterPort, spec.container != null, problem);
      c.table().put(r);
      if (problem != null) {
        continue;
      }
      if (spec.container == null) {
        launch(job, spec, r);
        continue;
      }
      if (rank == 0) {
        c.events()
            .append(
                uid,
                "Normal",
                "LocalProcesses",
                "local mode: container.image "
                    + spec.container.image
                    + " is not used; attempt "
                    + attempt
                    + " runs "
                    + String.join(" ", spec.container.command)
                    + " as local processes");
      }
      staging.stageIn(
          r,
          spec,
          stageProblem -> {
            if (stageProblem != null) {
              c.table()
                  .get(uid, r.name())
                  .ifPresent(now -> c.table().put(now.withProblem(stageProblem)));
            } else {
              launch(job, spec, r);
            }
          });
    }
    LOG.info(
        "{}/{} attempt {}: started rank(s) {}",
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        attempt,
        ranks);
  }

  private RankRecord record(
      TrainingJob job, int attempt, int rank, int masterPort, boolean container, String problem) {
    String uid = job.getMetadata().getUid();
    String name = job.getMetadata().getName() + "-" + attempt + "-" + rank;
    return new RankRecord(
        name,
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        uid,
        attempt,
        rank,
        masterPort,
        freePort(),
        c.layout().log(uid, attempt, rank).toString(),
        c.layout().rankDir(uid, rank).toString(),
        container,
        null,
        c.clock().instant(),
        null,
        problem,
        false);
  }

  /** Starts the rank's process unless it was stopped meanwhile (a container's staging is slow). */
  private void launch(TrainingJob job, TrainingJobSpec spec, RankRecord planned) {
    synchronized (launchLock) {
      Optional<RankRecord> now = c.table().get(planned.jobUid(), planned.name());
      if (now.isEmpty() || now.get().stopping() || now.get().process() != null) {
        return;
      }
      RankRecord r = now.get();
      Path workDir = workDir(job, r);
      LocalProcesses.Launch launch =
          new LocalProcesses.Launch(
              c.commands().command(spec), env(job, spec, r), workDir, Path.of(r.log()));
      try {
        c.table().put(r.withProcess(c.processes().start(launch)));
      } catch (UncheckedIOException e) {
        c.table()
            .put(
                r.withProblem(
                    "cannot start " + launch.command().get(0) + ": " + e.getCause().getMessage()));
      }
    }
  }

  private Map<String, String> env(TrainingJob job, TrainingJobSpec spec, RankRecord r) {
    int workers = spec.workersOrOne();
    RankContract.Rank rank =
        new RankContract.Rank(
            job.getMetadata().getName(),
            job.getMetadata().getNamespace(),
            r.jobUid(),
            r.attempt(),
            r.rank(),
            workers,
            java.util.Collections.nCopies(workers, c.host()),
            r.masterPort(),
            c.layout().specFile(r.jobUid()).toString(),
            c.s3().endpoint(),
            c.controlPlaneAddress(),
            r.metricsPort(),
            r.dataDir());
    Map<String, String> env = new LinkedHashMap<>(RankContract.env(rank, spec));
    env.put(RankContract.KILN_TOKEN, c.tokens().tokenFor(r.jobUid()));
    env.put(RankContract.AWS_ACCESS_KEY_ID, c.secrets().s3AccessKey());
    env.put(RankContract.AWS_SECRET_ACCESS_KEY, c.secrets().s3SecretKey());
    if (spec.container != null) {
      // A container's framework sizes its thread pools by this, as the worker JVM does by cpus.
      env.putIfAbsent("OMP_NUM_THREADS", Integer.toString(RankCommand.cpus(spec.resources)));
    }
    return env;
  }

  private Path workDir(TrainingJob job, RankRecord r) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    String dir = annotations == null ? null : annotations.get(WORKDIR_ANNOTATION);
    if (r.container() && dir != null && Files.isDirectory(Path.of(dir))) {
      return Path.of(dir);
    }
    return Path.of(r.dataDir());
  }

  @Override
  public void stop(TrainingJob job, List<String> rankNames) {
    Set<String> names = new HashSet<>(rankNames);
    stopWhere(job.getMetadata().getUid(), r -> names.contains(r.name()));
  }

  /** Stops every rank of a job (it was deleted); returns how many were still recorded. */
  public int stopAll(String jobUid) {
    return stopWhere(jobUid, r -> true);
  }

  private int stopWhere(String jobUid, java.util.function.Predicate<RankRecord> which) {
    int n = 0;
    synchronized (launchLock) {
      for (RankRecord r : c.table().of(jobUid)) {
        if (!which.test(r)) {
          continue;
        }
        n++;
        if (!r.stopping()) {
          c.table().put(r.withStopRequested(c.clock().instant()));
          if (r.process() != null) {
            c.processes().terminate(r.process());
          }
        }
      }
    }
    return n;
  }

  /**
   * Forgets the records of ranks that have ended and were asked to stop; true when none is left.
   */
  public boolean reap(String jobUid) {
    boolean empty = true;
    for (RankRecord r : c.table().of(jobUid)) {
      if (!r.stopping()) {
        empty = false;
        continue;
      }
      boolean running =
          r.process() != null
              && c.processes().observe(r.process()) instanceof LocalProcesses.State.Running;
      if (running || staging.busy(r.name())) {
        if (running && !c.clock().instant().isBefore(r.stopRequestedAt().plus(c.stopGrace()))) {
          c.processes().kill(r.process());
        }
        empty = false;
      } else {
        c.table().remove(r);
      }
    }
    return empty;
  }

  /** The uids of every job with a rank on record. */
  public Set<String> recordedJobs() {
    return c.table().all().stream().map(RankRecord::jobUid).collect(Collectors.toSet());
  }

  /** Container jobs with {@code metrics} regexes: what they find in rank 0's log. */
  private List<MetricsBook.EpochValues> logMetrics(TrainingJob job) {
    TrainingJobSpec spec = job.getSpec();
    if (spec == null || spec.container == null || spec.metrics == null || spec.metrics.isEmpty()) {
      return List.of();
    }
    Integer attempt = job.getStatus() == null ? null : job.getStatus().attempt;
    if (attempt == null || attempt == 0) {
      return List.of();
    }
    Path log = c.layout().log(job.getMetadata().getUid(), attempt, 0);
    return LogMetrics.parse(spec.metrics, LogFiles.tail(log, c.logMetricsBytes()));
  }

  private String logTail(RankRecord r) {
    String tail = LogFiles.tail(Path.of(r.log()), LOG_TAIL_BYTES).strip();
    return tail.isEmpty() ? null : "last lines of its log (" + r.log() + "):\n" + tail;
  }

  /** Stops the staging threads; ranks keep running. */
  public void close() {
    staging.close();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}
