package dev.kiln.cli.endpoint;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln endpoint delete NAME}: removes the endpoint; its replicas stop. */
@Command(name = "delete", description = "Delete an InferenceEndpoint and stop its replicas.")
final class EndpointDelete implements Callable<Integer> {
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
    try (EndpointBackend backend = EndpointBackend.open(Kiln.of(spec))) {
      if (!backend.delete(namespace, name)) {
        throw KilnException.failed(
            "no InferenceEndpoint " + namespace + "/" + name + " in " + backend.where(),
            "list them with: kiln endpoint list");
      }
      spec.commandLine().getOut().println("endpoint " + namespace + "/" + name + " deleted");
      spec.commandLine().getOut().flush();
    }
    return ExitCodes.OK;
  }
}
