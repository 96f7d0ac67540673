package dev.kiln.cli.demo;

import dev.kiln.cli.Kiln;
import dev.kiln.cli.data.S3Files;
import dev.kiln.cli.local.LocalFile;
import dev.kiln.cli.train.JobBackend;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What the demo's steps share: where things are, and what earlier steps produced. */
public final class DemoContext implements AutoCloseable {
  final Kiln kiln;
  final PrintWriter out;
  final PrintWriter err;
  final Path repo;

  /** Set by the local-mode step. */
  LocalFile local;

  S3Files s3;
  JobBackend jobs;

  /** Set by the data step: the held-out fifth, kept locally for the evaluation. */
  DigitsData.Split split;

  /** Set by the training step: the job's name and where its model is. */
  String job;

  String modelUri;

  /** Set by the evaluation step: the first training's held-out accuracy. */
  Double accuracy;

  /**
   * Set by the sweep step: the best trial's job name, its model URI and its held-out accuracy (null
   * when the sweep produced no model).
   */
  String bestTrialJob;

  String bestTrialModelUri;
  Double bestTrialAccuracy;

  DemoContext(Kiln kiln, PrintWriter out, PrintWriter err, Path repo) {
    this.kiln = kiln;
    this.out = out;
    this.err = err;
    this.repo = repo;
  }

  /** Where the demo keeps its local files (the split data, the downloaded model). */
  Path workDir() {
    return local.config().home().resolve("demo");
  }

  @Override
  public void close() {
    if (jobs != null) {
      jobs.close();
    }
  }
}
