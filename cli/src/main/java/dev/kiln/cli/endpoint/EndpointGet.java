package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.Manifests;
import dev.kiln.api.status.InferenceEndpointStatus;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln endpoint get NAME}: URL, replicas, models, last scaling, conditions, events. */
@Command(name = "get", description = "Show an InferenceEndpoint: its URL, replicas and models.")
final class EndpointGet implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME")
  String name;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "yaml or json instead of a summary")
  String output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (EndpointBackend backend = EndpointBackend.open(Kiln.of(spec))) {
      InferenceEndpoint e = find(backend, namespace, name);
      if ("yaml".equals(output)) {
        out.print(Manifests.toYaml(e));
      } else if ("json".equals(output)) {
        out.println(Manifests.json().valueToTree(e).toPrettyString());
      } else if (output != null) {
        throw KilnException.usage("-o takes yaml or json, not " + output, null);
      } else {
        describe(out, e, backend);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  static InferenceEndpoint find(EndpointBackend backend, String namespace, String name) {
    return backend
        .get(namespace, name)
        .orElseThrow(
            () ->
                KilnException.failed(
                    "no InferenceEndpoint " + namespace + "/" + name + " in " + backend.where(),
                    "list them with: kiln endpoint list"));
  }

  private static void describe(PrintWriter out, InferenceEndpoint e, EndpointBackend backend) {
    InferenceEndpointStatus s =
        e.getStatus() == null ? new InferenceEndpointStatus() : e.getStatus();
    out.println("Name:       " + e.getMetadata().getNamespace() + "/" + e.getMetadata().getName());
    out.println("Phase:      " + (s.phase == null ? "Pending" : s.phase));
    out.println("URL:        " + (s.url == null ? "-" : s.url));
    out.println(
        "Replicas:   "
            + (s.replicas == null ? "-" : s.replicas.ready + " ready / " + s.replicas.desired));
    if (s.model != null) {
      out.println("Model:      " + (s.model.current == null ? "-" : s.model.current));
      if (s.model.canary != null) {
        out.println("Canary:     " + s.model.canary);
      }
      if (s.model.rolledBack != null) {
        out.println("RolledBack: " + s.model.rolledBack);
      }
    }
    if (s.lastScale != null) {
      out.println(
          "LastScale:  "
              + s.lastScale.from
              + " -> "
              + s.lastScale.to
              + " at "
              + s.lastScale.time
              + ": "
              + s.lastScale.reason);
    }
    out.println("Conditions:");
    for (Condition c : s.conditions) {
      out.println(
          "  " + c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage());
    }
    var events = backend.events(e);
    if (!events.isEmpty()) {
      out.println("Events:");
      events.forEach(
          ev ->
              out.println(
                  "  " + ev.time() + " " + ev.type() + " " + ev.reason() + ": " + ev.message()));
    }
  }

  /** The Ready condition's message, for short reports. */
  static String readyMessage(InferenceEndpointStatus s) {
    return s.conditions.stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getReason() + ": " + c.getMessage())
        .findFirst()
        .orElse("");
  }
}
