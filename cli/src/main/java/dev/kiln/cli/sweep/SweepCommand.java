package dev.kiln.cli.sweep;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnSubcommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln sweep ...}: TuningJobs, in local mode or (with --context) on a cluster. */
@Command(
    name = "sweep",
    description = "Hyperparameter sweeps: the same TuningJob YAML as kubectl apply.",
    subcommands = {
      SweepCreate.class,
      SweepList.class,
      SweepGet.class,
      SweepBest.class,
      SweepStop.class
    })
public final class SweepCommand implements KilnSubcommand, Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
