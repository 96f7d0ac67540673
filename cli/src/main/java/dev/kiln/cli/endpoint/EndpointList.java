package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.status.InferenceEndpointStatus;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln endpoint list}: one line per endpoint, like {@code kubectl get ie}. */
@Command(name = "list", description = "List InferenceEndpoints.")
final class EndpointList implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (EndpointBackend backend = EndpointBackend.open(Kiln.of(spec))) {
      List<InferenceEndpoint> all = backend.list(namespace);
      if (all.isEmpty()) {
        out.println("no InferenceEndpoints in namespace " + namespace);
        out.flush();
        return ExitCodes.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "PHASE", "READY", "MODEL", "CANARY", "URL"});
      for (InferenceEndpoint e : all) {
        InferenceEndpointStatus s =
            e.getStatus() == null ? new InferenceEndpointStatus() : e.getStatus();
        rows.add(
            new String[] {
              e.getMetadata().getName(),
              s.phase == null ? "Pending" : s.phase,
              s.replicas == null ? "-" : s.replicas.ready + "/" + s.replicas.desired,
              s.model == null || s.model.current == null ? "-" : s.model.current,
              s.model == null || s.model.canary == null ? "-" : s.model.canary,
              s.url == null ? "-" : s.url
            });
      }
      dev.kiln.cli.train.Tables.print(out, rows);
      out.flush();
    }
    return ExitCodes.OK;
  }
}
