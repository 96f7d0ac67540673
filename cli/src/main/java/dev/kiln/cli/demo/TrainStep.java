package dev.kiln.cli.demo;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.train.JobProgress;
import dev.kiln.cli.train.JobWait;
import java.nio.file.Files;
import java.nio.file.Path;

/** Trains the demo's TrainingJob ({@code examples/digits/digits-mlp.yaml}) in local mode. */
final class TrainStep implements DemoStep {
  static final String JOB_YAML = "examples/digits/digits-mlp.yaml";

  @Override
  public String title() {
    return "train";
  }

  @Override
  public void run(DemoContext demo) throws Exception {
    Path yaml = demo.repo.resolve(JOB_YAML);
    TrainingJob job = Manifests.parse(Files.readString(yaml), TrainingJob.class);
    String ns =
        job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
    job.getMetadata().setNamespace(ns);
    String name = job.getMetadata().getName();
    // A fresh run trains again rather than finding last run's job finished.
    if (demo.jobs.delete(ns, name)) {
      JobWait.untilGone(demo.jobs, ns, name);
    }
    demo.jobs.apply(job);
    demo.out.println(
        "    trainingjob/"
            + name
            + " ("
            + job.getSpec().workersOrOne()
            + " ranks, "
            + job.getSpec().algorithm.epochs
            + " epochs) from "
            + JOB_YAML);
    demo.out.flush();
    TrainingJob done =
        JobWait.untilFinished(
            demo.jobs, ns, name, new JobProgress(demo.out, JobProgress.stdoutIsTerminal()));
    if (done.getStatus().phase != Phase.SUCCEEDED) {
      throw KilnException.failed(
          name + " failed: " + JobWait.failure(done), "see its logs: kiln train logs " + name);
    }
    demo.job = name;
    demo.modelUri = done.getStatus().modelUri;
    demo.out.println(
        "    "
            + name
            + " succeeded"
            + (done.getStatus().latestMetric == null
                ? ""
                : " (last epoch: " + done.getStatus().latestMetric + " on the held-out fifth)"));
  }
}
