package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln endpoint invoke NAME --data JSON | --file CSV}: posts to the endpoint's {@code
 * /invocations} at its URL and prints the answer.
 */
@Command(
    name = "invoke",
    description = "Send rows to an endpoint's /invocations and print the predictions.")
final class EndpointInvoke implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME")
  String name;

  @ArgGroup(multiplicity = "1")
  Input input;

  /** Exactly one input. */
  static final class Input {
    @Option(
        names = "--data",
        paramLabel = "JSON",
        description = "JSON rows, e.g. '[[0.1, 0.2, ...]]' or {\"instances\": [...]}")
    String data;

    @Option(names = "--file", paramLabel = "CSV", description = "CSV rows of features, no header")
    Path file;
  }

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = "--router",
      paramLabel = "URL",
      description =
          "the router's base URL when the endpoint's own is not reachable from here, e.g. "
              + "http://127.0.0.1:8080 after kubectl port-forward svc/kiln-router 8080")
  String router;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    String url;
    try (EndpointBackend backend = EndpointBackend.open(Kiln.of(spec))) {
      InferenceEndpoint e = EndpointGet.find(backend, namespace, name);
      if (e.getStatus() == null || e.getStatus().url == null) {
        throw KilnException.failed(
            "endpoint " + name + " has no URL yet", "wait for it: kiln endpoint get " + name);
      }
      url = e.getStatus().url;
    }
    if (router != null) {
      url = router.replaceAll("/+$", "") + "/endpoints/" + name;
    }
    String body;
    String type;
    if (input.file != null) {
      if (!Files.isRegularFile(input.file)) {
        throw KilnException.usage("no file " + input.file, null);
      }
      body = Files.readString(input.file);
      type = "text/csv";
    } else {
      body = input.data;
      type = "application/json";
    }
    EndpointHttp.Answer answer = EndpointHttp.invoke(url, type, body);
    out.println(answer.body());
    out.flush();
    if (answer.code() / 100 != 2) {
      throw KilnException.failed("the endpoint answered " + answer.code(), null);
    }
    return ExitCodes.OK;
  }
}
