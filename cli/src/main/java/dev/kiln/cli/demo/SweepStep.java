package dev.kiln.cli.demo;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.spec.Channel;
import dev.kiln.api.spec.OutputSpec;
import dev.kiln.api.spec.TuningJobSpec;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.data.S3Files;
import dev.kiln.cli.local.LocalClient;
import dev.kiln.cli.sweep.SweepBackend;
import dev.kiln.cli.sweep.SweepBackends;
import dev.kiln.cli.sweep.SweepWatch;
import dev.kiln.cli.train.JobProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A short sweep over learning rate and hidden width on the digits job: 8 one-rank trials under
 * ASHA. Trials are scored on a validation fifth carved from the training part, so the held-out
 * fifth stays unseen until the best trial's model is measured on it.
 */
final class SweepStep implements DemoStep {
  static final String NAME = "digits-sweep";
  static final String TRAIN = DataStep.PREFIX + "sweep-train.csv";
  static final String VALIDATION = DataStep.PREFIX + "sweep-validation.csv";

  @Override
  public String title() {
    return "sweep";
  }

  @Override
  public void run(DemoContext demo) throws Exception {
    DigitsData.Split carved =
        DigitsData.split(demo.split.train(), demo.workDir().resolve("sweep-data"));
    demo.s3.upload(carved.train(), S3Files.S3Uri.parse(TRAIN));
    demo.s3.upload(carved.heldOut(), S3Files.S3Uri.parse(VALIDATION));
    demo.out.println(
        "    the "
            + demo.split.trainRows()
            + " training rows split again: "
            + carved.trainRows()
            + " to train trials on, "
            + carved.heldOutRows()
            + " to score them (the held-out fifth stays unseen)");
    TuningJob sweep = sweep(demo);
    try (SweepBackend sweeps = SweepBackends.local(new LocalClient(demo.local.config()))) {
      restart(demo, sweeps, sweep);
      demo.out.println(
          "    tuningjob/"
              + NAME
              + ": "
              + sweep.getSpec().maxTrials
              + " trials, "
              + sweep.getSpec().parallelTrials
              + " at a time, ASHA over "
              + sweep.getSpec().trialTemplate.spec.algorithm.epochs
              + " epochs; learning rate and hidden width");
      demo.out.flush();
      TuningJob done =
          new SweepWatch(demo.out, JobProgress.stdoutIsTerminal())
              .untilFinished(sweeps, "default", NAME);
      if (done.getStatus().phase != Phase.SUCCEEDED || done.getStatus().bestTrial == null) {
        throw KilnException.failed(
            NAME + " did not succeed: " + done.getStatus().conditions,
            "see it: kiln sweep get " + NAME);
      }
      TrainingJob best =
          sweeps.trials("default", NAME).stream()
              .filter(t -> t.getMetadata().getName().equals(done.getStatus().bestTrial.name))
              .findFirst()
              .orElseThrow();
      report(demo, done, best);
    }
  }

  /** A fresh run sweeps again rather than finding last run's sweep finished. */
  private static void restart(DemoContext demo, SweepBackend sweeps, TuningJob sweep)
      throws InterruptedException {
    try (LocalClient client = new LocalClient(demo.local.config())) {
      if (client.delete(TuningJob.class, "default", NAME)) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!sweeps.trials("default", NAME).isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
      }
    }
    sweeps.apply(sweep);
  }

  private static void report(DemoContext demo, TuningJob done, TrainingJob best) throws Exception {
    var b = done.getStatus().bestTrial;
    demo.out.println(
        String.format(
            Locale.ROOT,
            "    best trial: %s, val_accuracy %.4f with %s",
            b.name,
            b.objective,
            b.parameters));
    demo.bestTrialJob = best.getMetadata().getName();
    demo.bestTrialModelUri = best.getStatus().modelUri;
    if (demo.bestTrialModelUri == null) {
      return;
    }
    Path dir = demo.workDir().resolve("best-trial-model");
    demo.s3.download(S3Files.S3Uri.parse(demo.bestTrialModelUri), dir);
    HeldOutAccuracy.Result r = HeldOutAccuracy.measure(dir, demo.split.heldOut(), "label");
    demo.bestTrialAccuracy = r.accuracy();
    demo.out.println(
        String.format(
            Locale.ROOT,
            "    its model on the held-out fifth: %.4f (%d/%d); kiln sweep best %s prints its"
                + " parameters",
            r.accuracy(),
            r.correct(),
            r.rows(),
            NAME));
  }

  /** The demo's digits job as the trial template: one rank, a shorter budget, the carved data. */
  private static TuningJob sweep(DemoContext demo) throws Exception {
    TrainingJob job =
        Manifests.parse(Files.readString(demo.repo.resolve(TrainStep.JOB_YAML)), TrainingJob.class);
    var template = job.getSpec();
    template.workers = 1;
    template.algorithm.epochs = 9;
    template.inputs.put("train", new Channel(TRAIN, Channel.Format.CSV, "label"));
    template.inputs.put("validation", new Channel(VALIDATION, Channel.Format.CSV, "label"));
    template.output = new OutputSpec("s3://models/" + NAME + "/");
    TuningJob sweep =
        Manifests.parse(
            """
            apiVersion: kiln.dev/v1alpha1
            kind: TuningJob
            metadata: {name: %s, namespace: default}
            spec:
              objective: {metric: val_accuracy, goal: maximize}
              strategy: {type: bayesian, seed: 1}
              earlyStopping: {type: asha, minEpochs: 1, reductionFactor: 3}
              parameters:
                - {name: optimizer.learningRate, type: double, min: 0.0003, max: 0.03, scale: log}
                - {name: model.layers.0.dense, type: int, min: 32, max: 256}
              maxTrials: 8
              parallelTrials: 2
              maxFailedTrials: 3
              trialTemplate: {spec: {}}
            """
                .formatted(NAME),
            TuningJob.class);
    sweep.getSpec().trialTemplate = new TuningJobSpec.TrialTemplate();
    sweep.getSpec().trialTemplate.spec = template;
    return sweep;
  }
}
