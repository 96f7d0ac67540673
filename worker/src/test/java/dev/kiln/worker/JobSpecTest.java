package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobSpecTest {
  static final String ALGORITHM =
      """
      "algorithm": {"model": {"layers": [{"dense": 16, "activation": "relu"},
                                         {"dense": 3, "activation": "softmax"}]},
                    "loss": "cross_entropy", "optimizer": {"type": "adam", "learningRate": 0.001},
                    "epochs": 4, "batchSize": 8, "seed": 5}
      """;

  @Test
  void readsASpecAndAppliesHyperparameters() {
    JobSpec s =
        JobSpec.parse(
            "{"
                + ALGORITHM
                + """
            , "hyperparameters": {"optimizer.learningRate": "0.01", "model.layers.0.dense": "32"},
              "resources": {"cpu": "1500m", "gpu": 0},
              "inputs": {"train": {"uri": "s3://d/train.csv", "label": "y"},
                         "validation": {"uri": "s3://d/val/", "format": "npy"}},
              "output": {"uri": "s3://m/out/"}, "checkpoint": {"everyEpochs": 2}}
            """);
    assertThat(s.algorithm().optimizer().learningRate()).isEqualTo(0.01f);
    assertThat(s.algorithm().layers().get(0)).hasToString("Dense[units=32, activation=RELU]");
    assertThat(s.train().label()).isEqualTo("y");
    assertThat(s.train().format()).isEqualTo("csv");
    assertThat(s.validation().format()).isEqualTo("npy");
    assertThat(s.outputUri()).isEqualTo("s3://m/out/");
    assertThat(s.checkpointEveryEpochs()).isEqualTo(2);
    assertThat(s.cpus()).isEqualTo(2);
  }

  @Test
  void acceptsAWholeManifest() {
    JobSpec s =
        JobSpec.parse(
            "{\"kind\": \"TrainingJob\", \"metadata\": {\"name\": \"x\"}, \"spec\": {"
                + ALGORITHM
                + ", \"inputs\": {\"train\": {\"uri\": \"s3://d/t.csv\"}},"
                + " \"output\": {\"uri\": \"s3://m/\"}}}");
    assertThat(s.validation()).isNull();
    assertThat(s.checkpointEveryEpochs()).isEqualTo(1);
    assertThat(s.cpus()).isZero();
  }

  @Test
  void unknownHyperparameterIsRefused() {
    assertThatThrownBy(
            () ->
                JobSpec.parse(
                    "{"
                        + ALGORITHM
                        + ", \"hyperparameters\": {\"optimizer.lr\": \"1\"},"
                        + " \"inputs\": {\"train\": {\"uri\": \"s3://d/t.csv\"}},"
                        + " \"output\": {\"uri\": \"s3://m/\"}}"))
        .isInstanceOf(JobSpec.SpecException.class)
        .hasMessageContaining("unknown hyperparameter 'optimizer.lr'");
  }

  @Test
  void missingPiecesAreNamed() {
    assertThatThrownBy(() -> JobSpec.parse("{\"output\": {\"uri\": \"s3://m/\"}}"))
        .hasMessageContaining("spec.algorithm must be set");
    assertThatThrownBy(
            () -> JobSpec.parse("{" + ALGORITHM + ", \"output\": {\"uri\": \"s3://m/\"}}"))
        .hasMessageContaining("spec.inputs.train must be set");
    assertThatThrownBy(
            () ->
                JobSpec.parse(
                    "{" + ALGORITHM + ", \"inputs\": {\"train\": {\"uri\": \"s3://d/t\"}}}"))
        .hasMessageContaining("spec.output.uri must be set");
    assertThatThrownBy(() -> JobSpec.parse("{\"container\": {\"image\": \"x\"}}"))
        .hasMessageContaining("spec.container is set");
  }

  @Test
  void cpuQuantitiesRoundUpToThreads() {
    assertThat(JobSpec.cpus("")).isZero();
    assertThat(JobSpec.cpus("500m")).isEqualTo(1);
    assertThat(JobSpec.cpus("2")).isEqualTo(2);
    assertThat(JobSpec.cpus("2.5")).isEqualTo(3);
    assertThatThrownBy(() -> JobSpec.cpus("lots")).hasMessageContaining("not a CPU quantity");
  }
}
