package dev.kiln.cli.sweep;

import dev.kiln.api.Manifests;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.train.JobProgress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kiln sweep create -f tune.yaml [--watch]}. */
@Command(
    name = "create",
    description = "Create (or update) a TuningJob from a YAML file; --watch follows it live.")
final class SweepCreate implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "the TuningJob YAML")
  Path file;

  @Option(names = "--watch", description = "follow the sweep until it ends; exit 1 if it fails")
  boolean watch;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "default: ${DEFAULT-VALUE}")
  String namespace;

  @Override
  public Integer call() {
    TuningJob sweep = read(file);
    if (sweep.getMetadata().getNamespace() == null) {
      sweep.getMetadata().setNamespace(namespace);
    }
    String ns = sweep.getMetadata().getNamespace();
    String name = sweep.getMetadata().getName();
    PrintWriter out = spec.commandLine().getOut();
    try (SweepBackend backend = SweepBackends.open(Kiln.of(spec))) {
      boolean existed = backend.get(ns, name).isPresent();
      backend.apply(sweep);
      out.println("tuningjob/" + name + (existed ? " configured" : " created"));
      out.flush();
      if (!watch) {
        out.println(
            "follow it: kiln sweep get " + name + "; the best parameters: kiln sweep best " + name);
        out.flush();
        return ExitCodes.OK;
      }
      TuningJob done =
          new SweepWatch(out, JobProgress.stdoutIsTerminal()).untilFinished(backend, ns, name);
      return report(done, out);
    }
  }

  private int report(TuningJob done, PrintWriter out) {
    if (done.getStatus().phase == Phase.SUCCEEDED) {
      out.println(
          done.getMetadata().getName()
              + " succeeded: best "
              + SweepText.best(done)
              + "; its parameters: kiln sweep best "
              + done.getMetadata().getName());
      out.flush();
      return ExitCodes.OK;
    }
    spec.commandLine()
        .getErr()
        .println("kiln: " + done.getMetadata().getName() + " failed: " + SweepText.outcome(done));
    spec.commandLine().getErr().flush();
    return ExitCodes.FAILED;
  }

  /** The one TuningJob of a YAML file, checked with the control plane's validator. */
  static TuningJob read(Path file) {
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
    if (resources.size() != 1 || !(resources.get(0) instanceof TuningJob sweep)) {
      throw KilnException.usage(
          file + " must hold exactly one TuningJob", "training jobs: kiln train submit -f FILE");
    }
    List<Violation> violations = SpecValidator.validate(sweep);
    if (!violations.isEmpty()) {
      throw KilnException.usage(
          file
              + ": TuningJob "
              + sweep.getMetadata().getName()
              + " is invalid: "
              + SpecValidator.describe(violations),
          "fix the manifest and try again");
    }
    return sweep;
  }
}
