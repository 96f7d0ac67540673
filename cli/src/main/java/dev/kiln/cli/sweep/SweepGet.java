package dev.kiln.cli.sweep;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.train.Tables;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln sweep get NAME}: the sweep's state and every trial. */
@Command(name = "get", description = "Show a TuningJob and its trials.")
final class SweepGet implements Callable<Integer> {
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
      List<TrainingJob> trials = SweepText.byIndex(backend.trials(namespace, name));
      out.println("Name:       " + namespace + "/" + name);
      out.println("Phase:      " + SweepText.phase(sweep));
      out.println(
          "Objective:  "
              + SweepText.metric(sweep)
              + " ("
              + sweep.getSpec().objective.goal.name().toLowerCase(java.util.Locale.ROOT)
              + ")");
      out.println("Trials:     " + SweepText.bar(sweep, 20) + " (" + SweepText.counts(sweep) + ")");
      out.println("Best:       " + SweepText.best(sweep));
      if (SweepText.finished(sweep)) {
        out.println("Outcome:    " + SweepText.outcome(sweep));
      }
      out.println();
      List<String[]> rows = new ArrayList<>();
      rows.add(SweepText.header(SweepText.metric(sweep)));
      trials.forEach(t -> rows.add(SweepText.row(t, SweepText.metric(sweep))));
      if (rows.size() > 1) {
        Tables.print(out, rows);
      } else {
        out.println("no trials yet");
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  static TuningJob require(SweepBackend backend, String namespace, String name) {
    return backend
        .get(namespace, name)
        .orElseThrow(
            () ->
                KilnException.failed(
                    "no TuningJob " + namespace + "/" + name + " in " + backend.where(),
                    "see the sweeps there: kiln sweep list"));
  }
}
