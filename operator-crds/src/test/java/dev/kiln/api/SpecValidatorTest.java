package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.spec.Layer;
import dev.kiln.api.validation.SpecValidator;
import dev.kiln.api.validation.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  private static TrainingJob digits() throws IOException {
    return Manifests.parse(
        Files.readString(Path.of("..", "samples", "trainingjob-digits.yaml")), TrainingJob.class);
  }

  private static List<String> problems(io.fabric8.kubernetes.api.model.HasMetadata r) {
    return SpecValidator.validate(r).stream().map(Violation::toString).toList();
  }

  @Test
  void rejectsZeroWorkersAndZeroLearningRateWithTheirPaths() throws IOException {
    TrainingJob job = digits();
    job.getSpec().workers = 0;
    job.getSpec().algorithm.optimizer.learningRate = 0.0;
    assertThat(problems(job))
        .contains("spec.workers: must be between 1 and 4096, found 0")
        .anyMatch(
            p -> p.startsWith("spec.algorithm.optimizer.learningRate: must be greater than 0"));
  }

  @Test
  void rejectsUnknownHyperparameterNamingTheKnownFields() throws IOException {
    TrainingJob job = digits();
    job.getSpec().hyperparameters.put("optimizer.learningrate", "0.1");
    assertThat(problems(job))
        .anyMatch(
            p ->
                p.startsWith("spec.hyperparameters.optimizer.learningrate:")
                    && p.contains("unknown field 'optimizer.learningrate'")
                    && p.contains("learningRate"));
  }

  @Test
  void rejectsHyperparameterThatBreaksTheModel() throws IOException {
    TrainingJob job = digits();
    job.getSpec().hyperparameters.put("model.layers.0.dense", "0");
    assertThat(problems(job)).anyMatch(p -> p.contains("dense: must be between 1 and 65536"));
  }

  @Test
  void rejectsHyperparameterIndexOutOfRange() throws IOException {
    TrainingJob job = digits();
    job.getSpec().hyperparameters.put("model.layers.7.dense", "64");
    assertThat(problems(job)).anyMatch(p -> p.contains("index 7 out of range (size 3)"));
  }

  @Test
  void rejectsSoftmaxOnAHiddenLayer() throws IOException {
    TrainingJob job = digits();
    job.getSpec().algorithm.model.layers.set(0, Layer.dense(64, Layer.Activation.SOFTMAX));
    assertThat(problems(job))
        .contains(
            "spec.algorithm.model.layers.0.activation: softmax is only allowed on the last layer");
  }

  @Test
  void rejectsCrossEntropyWithOneOutputUnit() throws IOException {
    TrainingJob job = digits();
    job.getSpec().algorithm.model.layers.set(2, Layer.dense(1, Layer.Activation.SOFTMAX));
    assertThat(problems(job))
        .anyMatch(p -> p.contains("cross_entropy needs at least 2 output units"));
  }

  @Test
  void rejectsBothAlgorithmAndContainer() throws IOException {
    TrainingJob job = digits();
    job.getSpec().container = new dev.kiln.api.spec.ContainerSpec();
    job.getSpec().container.image = "x";
    assertThat(problems(job))
        .contains("spec: set exactly one of algorithm (the built-in trainer) or container");
  }

  @Test
  void rejectsJobNamesTooLongForPodHostnames() throws IOException {
    TrainingJob job = digits();
    job.getMetadata().setName("a".repeat(51));
    assertThat(problems(job)).contains("metadata.name: must be at most 50 characters");
  }

  @Test
  void validatesTheTrialTemplateOfASweep() throws IOException {
    TuningJob sweep =
        Manifests.parse(
            Files.readString(Path.of("..", "samples", "tuningjob-digits-sweep.yaml")),
            TuningJob.class);
    sweep.getSpec().trialTemplate.spec.workers = -1;
    sweep.getSpec().parameters.get(0).name = "optimizer.rate";
    assertThat(problems(sweep))
        .contains("spec.trialTemplate.spec.workers: must be between 1 and 4096, found -1")
        .anyMatch(p -> p.startsWith("spec.parameters.0.name:") && p.contains("unknown field"));
  }

  @Test
  void acceptsEverySampleSpecAfterARoundTripThroughJson() throws IOException {
    TrainingJob job = digits();
    TrainingJob copy = Manifests.fromJson(Manifests.toJson(job), TrainingJob.class);
    assertThat(SpecValidator.validate(copy)).isEmpty();
    assertThat(Manifests.toJson(copy)).isEqualTo(Manifests.toJson(job));
  }
}
