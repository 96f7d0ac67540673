package dev.kiln.controlplane.local;

import dev.kiln.api.spec.Resources;
import dev.kiln.api.spec.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a local rank: the built-in trainer in a JVM sized by {@code resources}, or a
 * container job's own {@code command} and {@code args} (its image is not used).
 */
public final class RankCommand {
  /** The built-in trainer's entry point in the worker module. */
  public static final String WORKER_MAIN = "dev.kiln.worker.WorkerMain";

  private final String java;
  private final String workerClasspath;

  public RankCommand(String java, String workerClasspath) {
    this.java = java;
    this.workerClasspath = workerClasspath;
  }

  /** Why a job cannot run locally, or null when it can. */
  public static String problem(TrainingJobSpec spec) {
    if (spec.container != null
        && (spec.container.command == null || spec.container.command.isEmpty())) {
      return "local mode runs spec.container.command as a local process, but the job has none"
          + " (an image's entrypoint is not known without a container runtime); set"
          + " spec.container.command";
    }
    return null;
  }

  public List<String> command(TrainingJobSpec spec) {
    List<String> argv = new ArrayList<>();
    if (spec.container != null) {
      argv.addAll(spec.container.command);
      if (spec.container.args != null) {
        argv.addAll(spec.container.args);
      }
      return argv;
    }
    argv.add(java);
    Resources r = spec.resources;
    if (r != null && r.memory != null) {
      argv.add("-Xmx" + mebibytes(r.memory) + "m");
    }
    // Runtime.availableProcessors() is what the worker sizes its thread pools by.
    argv.add("-XX:ActiveProcessorCount=" + cpus(r));
    argv.add("--add-modules");
    argv.add("jdk.incubator.vector");
    argv.add("-cp");
    argv.add(workerClasspath);
    argv.add(WORKER_MAIN);
    return argv;
  }

  /** Whole processors for {@code resources.cpu}, rounded up; 1 when unset. */
  static int cpus(Resources r) {
    if (r == null || r.cpu == null) {
      return 1;
    }
    BigDecimal cores = Quantity.getAmountInBytes(r.cpu);
    return Math.max(1, cores.setScale(0, RoundingMode.CEILING).intValueExact());
  }

  static long mebibytes(Quantity memory) {
    BigDecimal bytes = Quantity.getAmountInBytes(memory);
    return Math.max(
        64, bytes.divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.FLOOR).longValue());
  }
}
