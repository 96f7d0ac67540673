package dev.kiln.controlplane.testing;

import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.Algorithm;
import dev.kiln.api.spec.Channel;
import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.api.spec.Layer;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.spec.ModelArchitecture;
import dev.kiln.api.spec.OutputSpec;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.spec.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;

/** Test fixtures: valid TrainingJobs. */
public final class Jobs {
  private Jobs() {}

  /** A valid built-in-trainer job with {@code workers} ranks. */
  public static TrainingJob algorithm(String name, int workers) {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.workers = workers;
    spec.resources = new Resources("1", "2Gi", 1);
    Algorithm algorithm = new Algorithm();
    algorithm.model = new ModelArchitecture();
    algorithm.model.layers =
        List.of(Layer.dense(32, Layer.Activation.RELU), Layer.dense(10, Layer.Activation.SOFTMAX));
    algorithm.loss = Algorithm.Loss.CROSS_ENTROPY;
    algorithm.epochs = 5;
    spec.algorithm = algorithm;
    spec.hyperparameters = Map.of("optimizer.learningRate", "0.01");
    spec.inputs.put(
        "train", new Channel("s3://datasets/digits/train.csv", Channel.Format.CSV, null));
    spec.output = new OutputSpec("s3://models/" + name + "/");
    spec.maxRestarts = 2;
    return job(name, spec);
  }

  /** A valid container job running PyTorch, with a metrics regex. */
  public static TrainingJob container(String name, int workers) {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.workers = workers;
    spec.container = new ContainerSpec();
    spec.container.image = "ghcr.io/acme/train:1";
    spec.container.command = List.of("python", "train.py");
    spec.container.framework = ContainerSpec.Framework.PYTORCH;
    spec.hyperparameters = Map.of("lr", "0.01");
    spec.inputs.put(
        "train", new Channel("s3://datasets/digits/train.csv", Channel.Format.CSV, null));
    spec.output = new OutputSpec("s3://models/" + name + "/");
    spec.metrics = List.of(new MetricRule("val_accuracy", "val_accuracy=([0-9.]+)"));
    return job(name, spec);
  }

  public static TrainingJob job(String name, TrainingJobSpec spec) {
    TrainingJob job = new TrainingJob();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ml")
            .withUid("uid-" + name)
            .withGeneration(1L)
            .build());
    job.setSpec(spec);
    job.setStatus(null);
    return job;
  }
}
