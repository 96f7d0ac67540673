package dev.kiln.cli.train;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.TrainingJobStatus;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln train get NAME}: the job's state, conditions and events, or its YAML / JSON. */
@Command(
    name = "get",
    description = "Show a TrainingJob: phase, metrics, model, conditions, events.")
final class TrainGet implements Callable<Integer> {
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
    try (JobBackend backend = Backends.open(Kiln.of(spec))) {
      TrainingJob job =
          backend
              .get(namespace, name)
              .orElseThrow(
                  () ->
                      KilnException.failed(
                          "no TrainingJob " + namespace + "/" + name + " in " + backend.where(),
                          "list them with: kiln train list"));
      if (output != null) {
        switch (output) {
          case "yaml" -> out.print(Manifests.toYaml(job));
          case "json" -> out.println(Manifests.json().valueToTree(job).toPrettyString());
          default -> throw KilnException.usage("-o takes yaml or json, not " + output, null);
        }
        out.flush();
        return ExitCodes.OK;
      }
      describe(out, job, backend.events(job));
    }
    return ExitCodes.OK;
  }

  /** Why a Queued job waits (the GangScheduled condition's exact blocker) and its place. */
  static void pending(PrintWriter out, TrainingJobStatus s) {
    if (s.phase != dev.kiln.api.status.Phase.QUEUED || s.conditions == null) {
      return;
    }
    s.conditions.stream()
        .filter(c -> "GangScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst()
        .ifPresent(
            c ->
                out.println(
                    "Pending:    "
                        + value(c.getReason())
                        + ": "
                        + oneLine(c.getMessage())
                        + (s.queuePosition == null ? "" : " (position " + s.queuePosition + ")")));
  }

  static void describe(PrintWriter out, TrainingJob job, List<JobBackend.JobEvent> events) {
    TrainingJobStatus s = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    out.println(
        "Name:       " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName());
    out.println("UID:        " + job.getMetadata().getUid());
    out.println("Phase:      " + (s.phase == null ? "Pending" : s.phase.display()));
    out.println("Attempt:    " + value(s.attempt) + "   Restarts: " + value(s.restarts));
    out.println("Ranks:      " + (s.ranks == null ? "-" : s.ranks + " ready"));
    pending(out, s);
    if (s.metrics != null && s.metrics.latest != null && !s.metrics.latest.isEmpty()) {
      List<String> values = new ArrayList<>();
      s.metrics.latest.forEach((k, v) -> values.add(k + "=" + number(v)));
      out.println("Metrics:    " + String.join("  ", values));
    }
    if (s.modelUri != null) {
      out.println("Model:      " + s.modelUri);
    }
    if (s.startTime != null) {
      out.println(
          "Started:    "
              + s.startTime
              + (s.completionTime == null ? "" : "   Finished: " + s.completionTime));
    }
    if (s.conditions != null && !s.conditions.isEmpty()) {
      out.println("Conditions:");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"  TYPE", "STATUS", "REASON", "MESSAGE"});
      for (Condition c : s.conditions) {
        rows.add(
            new String[] {
              "  " + c.getType(), c.getStatus(), value(c.getReason()), oneLine(c.getMessage())
            });
      }
      Tables.print(out, rows);
    }
    if (!events.isEmpty()) {
      out.println("Events:");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"  TIME", "TYPE", "REASON", "MESSAGE"});
      for (JobBackend.JobEvent e : events) {
        rows.add(new String[] {"  " + value(e.time()), e.type(), e.reason(), oneLine(e.message())});
      }
      Tables.print(out, rows);
    }
    out.flush();
  }

  /** Whole numbers (epochs) without decimals, the rest to 4 places. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : JobProgress.format(v);
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replace('\n', ' ');
    return line.length() > 160 ? line.substring(0, 157) + "..." : line;
  }

  private static String value(Object v) {
    return v == null ? "-" : v.toString();
  }
}
