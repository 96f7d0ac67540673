package dev.kiln.cli.endpoint;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnSubcommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln endpoint ...}: InferenceEndpoints, in local mode or (with --context) a cluster. */
@Command(
    name = "endpoint",
    description = "Inference endpoints: serve a trained model over HTTP, roll out, canary, scale.",
    subcommands = {
      EndpointDeploy.class,
      EndpointList.class,
      EndpointGet.class,
      EndpointInvoke.class,
      EndpointDelete.class
    })
public final class EndpointCommand implements KilnSubcommand, Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}
