package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln train cancel NAME}: stops every rank by suspending the job ({@code spec.suspend}), so
 * it keeps its metrics, logs and checkpoints; submitting it again with {@code suspend: false}
 * resumes it from its newest checkpoint.
 */
@Command(name = "cancel", description = "Stop every rank of a TrainingJob (it becomes Suspended).")
final class TrainCancel implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (JobBackend backend = Backends.open(Kiln.of(spec))) {
      TrainingJob job =
          backend
              .get(namespace, name)
              .orElseThrow(
                  () ->
                      KilnException.failed(
                          "no TrainingJob " + namespace + "/" + name + " in " + backend.where(),
                          "list them with: kiln train list"));
      Phase phase = job.getStatus() == null ? null : job.getStatus().phase;
      if (phase != null && phase.isTerminal()) {
        out.println(
            name
                + " already "
                + phase.display().toLowerCase(java.util.Locale.ROOT)
                + "; nothing to cancel");
        return ExitCodes.OK;
      }
      job.getSpec().suspend = true;
      job.setStatus(null);
      backend.apply(job);
      TrainingJob stopped =
          JobWait.until(
              backend,
              namespace,
              name,
              new JobProgress(out, JobProgress.stdoutIsTerminal()),
              j ->
                  j.getStatus() != null
                      && j.getStatus().phase != null
                      && (j.getStatus().phase == Phase.SUSPENDED
                          || j.getStatus().phase.isTerminal())
                      && (j.getStatus().workers == null || j.getStatus().workers.ready == 0));
      out.println(
          name
              + " cancelled: every rank stopped ("
              + stopped.getStatus().phase.display()
              + "); to resume it, submit it again with spec.suspend: false");
    }
    return ExitCodes.OK;
  }
}
