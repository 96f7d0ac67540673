package dev.kiln.cli.sweep;

import dev.kiln.api.TuningJob;
import dev.kiln.api.status.TuningJobStatus;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln sweep best NAME}: the best trial's parameters as YAML, ready to paste under a
 * TrainingJob's {@code spec}.
 */
@Command(
    name = "best",
    description = "Print the best trial's parameters as YAML for a TrainingJob's spec.")
final class SweepBest implements Callable<Integer> {
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
      TuningJob sweep = SweepGet.require(backend, namespace, name);
      TuningJobStatus.BestTrial best =
          sweep.getStatus() == null ? null : sweep.getStatus().bestTrial;
      if (best == null || best.parameters == null) {
        throw KilnException.failed(
            "TuningJob " + name + " has no best trial yet (" + SweepText.counts(sweep) + ")",
            "a trial counts once it reports " + SweepText.metric(sweep) + "; try again later");
      }
      out.print(yaml(sweep, best));
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Hyperparameters are strings in a TrainingJob, so every value is quoted. */
  static String yaml(TuningJob sweep, TuningJobStatus.BestTrial best) {
    StringBuilder b = new StringBuilder();
    b.append("# best trial of ")
        .append(sweep.getMetadata().getName())
        .append(": ")
        .append(best.name)
        .append(", ")
        .append(SweepText.metric(sweep))
        .append('=')
        .append(best.objective == null ? "-" : SweepText.number(best.objective))
        .append('\n');
    b.append("hyperparameters:\n");
    for (Map.Entry<String, String> e : new TreeMap<>(best.parameters).entrySet()) {
      b.append("  ").append(e.getKey()).append(": \"").append(escape(e.getValue())).append("\"\n");
    }
    return b.toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
