package dev.kiln.worker;

import dev.kiln.model.ModelConfigException;
import dev.kiln.model.io.ModelArtifact;
import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.Collectives;
import dev.kiln.worker.data.DataException;
import dev.kiln.worker.data.ObjectStores;
import dev.kiln.worker.report.MetricsReporter;
import dev.kiln.worker.report.WorkerMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every rank of a TrainingJob runs with Kiln's built-in trainer: reads the rank contract and
 * the spec, joins the gang, trains, and (rank 0) writes the model to {@code <output>/model/}.
 *
 * <p>Exit codes: 0 trained (or stopped early on request); 1 a runtime failure a restart may cure (a
 * peer died, S3 unreachable); 2 a problem in the spec or the data that a restart will not cure. The
 * reason is the last line on stderr, and in {@code /dev/termination-log} where Kubernetes provides
 * it.
 */
public final class WorkerMain {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USER_ERROR = 2;

  private WorkerMain() {}

  public static void main(String[] args) {
    int code = run(System.getenv(), System.out);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one rank; returns the exit code. */
  static int run(Map<String, String> envMap, PrintStream out) {
    try {
      RankEnv env = RankEnv.from(envMap);
      JobSpec spec = JobSpec.read(env.specFile());
      out.println(
          "kiln worker rank="
              + env.rank()
              + " world_size="
              + env.worldSize()
              + " job="
              + env.job()
              + " attempt="
              + env.attempt());
      BackendChoice choice = BackendChoice.decide(env, spec);
      if (choice.compute().equals("cuda")
          && System.getProperty("kiln.cuda.device") == null
          && env.env().get("KILN_CUDA_DEVICE") == null) {
        System.setProperty("kiln.cuda.device", String.valueOf(choice.device()));
      }
      out.println(choice.line());
      train(env, spec, choice, out);
      return OK;
    } catch (JobSpec.SpecException
        | DataException
        | ModelConfigException
        | BackendChoice.UnavailableException e) {
      return fail(USER_ERROR, e.getMessage());
    } catch (CollectiveException e) {
      return fail(FAILED, "collective failed: " + e.getMessage());
    } catch (IOException e) {
      return fail(FAILED, "I/O failed: " + e.getMessage());
    } catch (RuntimeException e) {
      e.printStackTrace();
      return fail(FAILED, e.toString());
    }
  }

  private static void train(RankEnv env, JobSpec spec, BackendChoice choice, PrintStream out)
      throws IOException {
    ObjectStores store = ObjectStores.fromEnv(env.env());
    boolean reports = env.rank() == 0 && env.controlPlane() != null;
    try (WorkerMetrics metrics = new WorkerMetrics(env.metricsPort());
        Collective collective = Collectives.open(choice.collective(), env.collective());
        MetricsReporter reporter =
            reports
                ? new MetricsReporter(env.controlPlane(), env.token(), env.jobUid(), env.attempt())
                : null) {
      try {
        TrainerState state = TrainerState.prepare(env, spec, choice, store, collective, out);
        Map<String, Double> finalMetrics = new Trainer(state, out, metrics, reporter).run();
        if (env.rank() == 0) {
          ModelArtifact artifact =
              ModelPublisher.artifact(
                  state.network(),
                  state.standardizer(),
                  state.train(),
                  metadata(env, spec, state, finalMetrics));
          String uri = ModelPublisher.publish(store, spec.outputUri(), artifact);
          out.println("model uri=" + uri);
          if (reporter != null && !reporter.drain(60_000)) {
            System.err.println("kiln worker: some metrics were never acknowledged");
          }
        }
      } catch (RuntimeException | IOException e) {
        // Tell the peers why, instead of letting them find a dead rank.
        collective.abort(e.getMessage() == null ? e.toString() : e.getMessage());
        throw e;
      }
    }
  }

  private static Map<String, Object> metadata(
      RankEnv env, JobSpec spec, TrainerState s, Map<String, Double> finalMetrics) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metrics", finalMetrics);
    m.put("hyperparameters", spec.hyperparameters());
    m.put("features", s.train().featureNames());
    m.put("labelColumn", s.train().labelName());
    m.put("classNames", s.train().encoding().classNames());
    m.put("dataDigest", s.train().digest());
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("name", env.job());
    job.put("namespace", env.namespace());
    job.put("uid", env.jobUid());
    job.put("attempt", env.attempt());
    job.put("workers", env.worldSize());
    m.put("job", job);
    return m;
  }

  private static int fail(int code, String reason) {
    System.err.println("kiln worker: " + (code == USER_ERROR ? "error: " : "failed: ") + reason);
    Path log = Path.of("/dev/termination-log");
    if (Files.isWritable(log)) {
      try {
        Files.writeString(log, reason, StandardCharsets.UTF_8);
      } catch (IOException ignored) {
        // best effort: stderr has it
      }
    }
    return code;
  }
}
