package dev.kiln.cli.sweep;

import dev.kiln.api.TuningJob;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.train.Tables;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln sweep list}: one line per sweep, like {@code kubectl get tune}. */
@Command(name = "list", description = "List TuningJobs.")
final class SweepList implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "every namespace")
  boolean all;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SweepBackend backend = SweepBackends.open(Kiln.of(spec))) {
      List<TuningJob> sweeps = backend.list(all ? null : namespace);
      if (sweeps.isEmpty()) {
        out.println("no TuningJobs in " + (all ? "any namespace" : "namespace " + namespace));
        out.flush();
        return ExitCodes.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          all
              ? new String[] {"NAMESPACE", "NAME", "PHASE", "TRIALS", "BEST"}
              : new String[] {"NAME", "PHASE", "TRIALS", "BEST"});
      for (TuningJob s : sweeps) {
        List<String> row = new ArrayList<>();
        if (all) {
          row.add(s.getMetadata().getNamespace());
        }
        row.add(s.getMetadata().getName());
        row.add(SweepText.phase(s));
        row.add(SweepText.done(s) + "/" + SweepText.maxTrials(s));
        row.add(SweepText.best(s));
        rows.add(row.toArray(String[]::new));
      }
      Tables.print(out, rows);
    }
    return ExitCodes.OK;
  }
}
