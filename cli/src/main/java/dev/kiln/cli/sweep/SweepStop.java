package dev.kiln.cli.sweep;

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
 * {@code kiln sweep stop NAME}: no new trials; running ones stop after their next report, and the
 * sweep ends with the best trial so far.
 */
@Command(
    name = "stop",
    description = "Stop a sweep: no new trials, running ones stop after their next epoch.")
final class SweepStop implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SweepBackend backend = SweepBackends.open(Kiln.of(spec))) {
      if (!backend.requestStop(namespace, name, "stopped with kiln sweep stop")) {
        throw KilnException.failed(
            "no TuningJob " + namespace + "/" + name + " in " + backend.where(),
            "see the sweeps there: kiln sweep list");
      }
      out.println("tuningjob/" + name + " stopping: running trials stop after their next epoch");
      out.flush();
    }
    return ExitCodes.OK;
  }
}
