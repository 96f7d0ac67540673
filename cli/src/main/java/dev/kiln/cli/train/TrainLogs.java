package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln train logs NAME [-f] [--rank N]}. */
@Command(
    name = "logs",
    description = "Print a rank's log (rank 0 of the newest attempt by default).")
final class TrainLogs implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = {"-f", "--follow"},
      description = "keep printing until the rank ends")
  boolean follow;

  @Option(
      names = "--rank",
      defaultValue = "0",
      paramLabel = "N",
      description = "default: ${DEFAULT-VALUE}")
  int rank;

  @Option(
      names = "--attempt",
      defaultValue = "0",
      paramLabel = "N",
      description = "default: the newest")
  int attempt;

  @Override
  public Integer call() {
    try (JobBackend backend = Backends.open(Kiln.of(spec))) {
      TrainingJob job =
          backend
              .get(namespace, name)
              .orElseThrow(
                  () ->
                      KilnException.failed(
                          "no TrainingJob " + namespace + "/" + name + " in " + backend.where(),
                          "list them with: kiln train list"));
      int workers = job.getSpec() == null ? 1 : job.getSpec().workersOrOne();
      if (rank < 0 || rank >= workers) {
        throw KilnException.usage(name + " has ranks 0.." + (workers - 1) + ", not " + rank, null);
      }
      spec.commandLine().getOut().flush();
      backend.logs(job, rank, attempt, follow, new WriterOutputStream(spec.commandLine().getOut()));
    }
    return ExitCodes.OK;
  }
}
