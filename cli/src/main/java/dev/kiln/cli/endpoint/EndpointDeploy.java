package dev.kiln.cli.endpoint;

import dev.kiln.api.InferenceEndpoint;
import dev.kiln.api.spec.InferenceEndpointSpec;
import dev.kiln.api.spec.InferenceEndpointSpec.ModelSource;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln endpoint deploy NAME --from-job JOB | --uri URI}: creates the endpoint, or rolls the
 * new model out on the one there (its replicas keep serving until the new ones are ready).
 */
@Command(
    name = "deploy",
    description = "Deploy a model as an HTTP endpoint, or roll a new model out on an existing one.")
final class EndpointDeploy implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME")
  String name;

  @ArgGroup(multiplicity = "1")
  Source source;

  /** Exactly one model source. */
  static final class Source {
    @Option(names = "--from-job", paramLabel = "JOB", description = "a TrainingJob's model")
    String job;

    @Option(names = "--uri", paramLabel = "URI", description = "s3://... or file:/... model")
    String uri;
  }

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(names = "--min", defaultValue = "1", description = "min replicas (${DEFAULT-VALUE})")
  int min;

  @Option(names = "--max", defaultValue = "4", description = "max replicas (${DEFAULT-VALUE})")
  int max;

  @Option(
      names = "--target-in-flight",
      defaultValue = "8",
      description = "in-flight requests per replica the autoscaler aims at (${DEFAULT-VALUE})")
  int targetInFlight;

  @Option(names = "--canary-uri", paramLabel = "URI", description = "a canary model")
  String canaryUri;

  @Option(names = "--canary-percent", defaultValue = "10", description = "(${DEFAULT-VALUE})")
  int canaryPercent;

  @Option(names = "--wait", description = "wait until the endpoint serves this model")
  boolean waitReady;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    InferenceEndpoint endpoint = build();
    try (EndpointBackend backend = EndpointBackend.open(Kiln.of(spec))) {
      InferenceEndpoint stored = backend.apply(endpoint);
      out.println(
          "endpoint "
              + namespace
              + "/"
              + name
              + " deploys "
              + (source.job != null ? "the model of TrainingJob " + source.job : source.uri)
              + " in "
              + backend.where());
      if (waitReady) {
        stored = EndpointWait.ready(backend, namespace, name, source.uri, Duration.ofMinutes(5));
        out.println("ready: " + stored.getStatus().url);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  private InferenceEndpoint build() {
    if (min < 0 || max < 1 || min > max) {
      throw KilnException.usage("--min and --max need 0 <= min <= max, max >= 1", null);
    }
    InferenceEndpoint endpoint = new InferenceEndpoint();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(namespace);
    endpoint.setMetadata(meta);
    InferenceEndpointSpec spec = new InferenceEndpointSpec();
    spec.model = source.job != null ? ModelSource.ofJob(source.job) : ModelSource.ofUri(source.uri);
    spec.replicas = new InferenceEndpointSpec.Replicas();
    spec.replicas.min = min;
    spec.replicas.max = max;
    spec.autoscaling = new InferenceEndpointSpec.Autoscaling();
    spec.autoscaling.targetInFlight = targetInFlight;
    if (canaryUri != null) {
      spec.canary = new InferenceEndpointSpec.Canary();
      spec.canary.model = ModelSource.ofUri(canaryUri);
      spec.canary.trafficPercent = canaryPercent;
    }
    endpoint.setSpec(spec);
    return endpoint;
  }
}
