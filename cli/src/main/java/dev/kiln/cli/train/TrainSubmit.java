package dev.kiln.cli.train;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln train submit -f job.yaml [--wait]}. */
@Command(
    name = "submit",
    description =
        "Create or update TrainingJobs from a YAML file (the same YAML as kubectl apply).")
final class TrainSubmit implements Callable<Integer> {
  /** Where a local container job's ranks start: the folder its YAML came from. */
  static final String WORKDIR_ANNOTATION = "kiln.dev/local-workdir";

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "the YAML")
  Path file;

  @Option(names = "--wait", description = "follow the job until it ends; exit 1 if it fails")
  boolean wait;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Override
  public Integer call() {
    List<TrainingJob> jobs = read(file);
    PrintWriter out = spec.commandLine().getOut();
    List<TrainingJob> submitted = new ArrayList<>();
    try (JobBackend backend = Backends.open(Kiln.of(spec))) {
      for (TrainingJob job : jobs) {
        if (job.getMetadata().getNamespace() == null) {
          job.getMetadata().setNamespace(namespace);
        }
        if (backend.localWorkdirs() && job.getSpec() != null && job.getSpec().container != null) {
          Map<String, String> annotations = new HashMap<>();
          if (job.getMetadata().getAnnotations() != null) {
            annotations.putAll(job.getMetadata().getAnnotations());
          }
          annotations.put(WORKDIR_ANNOTATION, file.toAbsolutePath().getParent().toString());
          job.getMetadata().setAnnotations(annotations);
        }
        Optional<TrainingJob> before =
            backend.get(job.getMetadata().getNamespace(), job.getMetadata().getName());
        TrainingJob stored = backend.apply(job);
        out.println("trainingjob/" + stored.getMetadata().getName() + " " + verb(before, stored));
        submitted.add(stored);
      }
      out.flush();
      if (!wait) {
        return ExitCodes.OK;
      }
      return waitAll(backend, submitted, out);
    }
  }

  private int waitAll(JobBackend backend, List<TrainingJob> submitted, PrintWriter out) {
    int exit = ExitCodes.OK;
    for (TrainingJob job : submitted) {
      TrainingJob done =
          JobWait.untilFinished(
              backend,
              job.getMetadata().getNamespace(),
              job.getMetadata().getName(),
              new JobProgress(out, JobProgress.stdoutIsTerminal()));
      if (JobWait.succeeded(done)) {
        out.println(
            job.getMetadata().getName()
                + " succeeded"
                + (done.getStatus().latestMetric == null
                    ? ""
                    : ": " + done.getStatus().latestMetric)
                + "; model at "
                + done.getStatus().modelUri);
      } else {
        spec.commandLine()
            .getErr()
            .println("kiln: " + job.getMetadata().getName() + " failed: " + JobWait.failure(done));
        exit = ExitCodes.FAILED;
      }
    }
    out.flush();
    return exit;
  }

  private static String verb(Optional<TrainingJob> before, TrainingJob after) {
    if (before.isEmpty()) {
      return "created";
    }
    return before
            .get()
            .getMetadata()
            .getResourceVersion()
            .equals(after.getMetadata().getResourceVersion())
        ? "unchanged"
        : "configured";
  }

  /** The TrainingJobs of a YAML file; anything else in it is a usage error. */
  static List<TrainingJob> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw KilnException.usage("no such file: " + file, null);
    } catch (IOException e) {
      throw KilnException.usage("cannot read " + file + ": " + e.getMessage(), null);
    }
    List<HasMetadata> resources;
    try {
      resources = Manifests.parseAll(text);
    } catch (IllegalArgumentException e) {
      throw KilnException.usage(file + ": " + e.getMessage(), "fix the manifest and try again");
    }
    List<TrainingJob> jobs = new ArrayList<>();
    for (HasMetadata r : resources) {
      if (!(r instanceof TrainingJob job)) {
        throw KilnException.usage(
            file + " holds a " + r.getKind() + "; kiln train submit takes TrainingJobs",
            "sweeps: kiln sweep create -f FILE");
      }
      // The same validator as the control plane's: a bad spec is refused before anything runs.
      List<Violation> violations = SpecValidator.validate(job);
      if (!violations.isEmpty()) {
        throw KilnException.usage(
            file
                + ": TrainingJob "
                + job.getMetadata().getName()
                + " is invalid: "
                + SpecValidator.describe(violations),
            "fix the manifest and try again");
      }
      jobs.add(job);
    }
    if (jobs.isEmpty()) {
      throw KilnException.usage(file + " holds no TrainingJob", null);
    }
    return jobs;
  }
}
