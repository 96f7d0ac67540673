package dev.kiln.cli.train;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnSubcommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln train ...}: TrainingJobs, in local mode or (with --context) on a cluster. */
@Command(
    name = "train",
    description = "Training jobs: the same YAML as kubectl apply, here or on a cluster.",
    subcommands = {
      TrainSubmit.class,
      TrainList.class,
      TrainGet.class,
      TrainLogs.class,
      TrainCancel.class
    })
public final class TrainCommand implements KilnSubcommand, Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
