package dev.kiln.cli.train;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln train list}: one line per job, like {@code kubectl get tj}. */
@Command(name = "list", description = "List TrainingJobs.")
final class TrainList implements Callable<Integer> {
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
    try (JobBackend backend = Backends.open(Kiln.of(spec))) {
      List<TrainingJob> jobs = backend.list(all ? null : namespace);
      if (jobs.isEmpty()) {
        out.println("no TrainingJobs in " + (all ? "any namespace" : "namespace " + namespace));
        return ExitCodes.OK;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          all
              ? new String[] {"NAMESPACE", "NAME", "PHASE", "RANKS", "ATTEMPT", "METRIC", "AGE"}
              : new String[] {"NAME", "PHASE", "RANKS", "ATTEMPT", "METRIC", "AGE"});
      Instant now = Instant.now();
      for (TrainingJob job : jobs) {
        TrainingJobStatus s = job.getStatus();
        List<String> row = new ArrayList<>();
        if (all) {
          row.add(job.getMetadata().getNamespace());
        }
        row.add(job.getMetadata().getName());
        row.add(s == null || s.phase == null ? "Pending" : s.phase.display());
        row.add(s == null || s.ranks == null ? "-" : s.ranks);
        row.add(s == null || s.attempt == null ? "-" : s.attempt.toString());
        row.add(s == null || s.latestMetric == null ? "-" : s.latestMetric);
        row.add(age(job.getMetadata().getCreationTimestamp(), now));
        rows.add(row.toArray(String[]::new));
      }
      Tables.print(out, rows);
    }
    return ExitCodes.OK;
  }

  static String age(String created, Instant now) {
    if (created == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(Instant.parse(created), now).toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    return s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
  }
}
