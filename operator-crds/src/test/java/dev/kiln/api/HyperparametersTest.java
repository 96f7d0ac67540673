package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.api.spec.OptimizerSpec;
import dev.kiln.api.spec.TrainingJobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class HyperparametersTest {
  private static TrainingJobSpec spec() throws IOException {
    return Manifests.parse(
            Files.readString(Path.of("..", "samples", "trainingjob-digits.yaml")),
            TrainingJob.class)
        .getSpec();
  }

  @Test
  void mergeAppliesTypedValuesAtDottedPaths() throws IOException {
    TrainingJobSpec spec = spec();
    spec.hyperparameters = new LinkedHashMap<>();
    spec.hyperparameters.put("optimizer.learningRate", "0.003");
    spec.hyperparameters.put("model.layers.0.dense", "64");
    spec.hyperparameters.put("optimizer.type", "sgd");
    spec.hyperparameters.put("epochs", "7");
    spec.hyperparameters.put("deterministic", "false");

    TrainingJobSpec merged = Hyperparameters.merge(spec);

    assertThat(merged.algorithm.optimizer.learningRate).isEqualTo(0.003);
    assertThat(merged.algorithm.model.layers.get(0).dense).isEqualTo(64);
    assertThat(merged.algorithm.optimizer.type).isEqualTo(OptimizerSpec.Type.SGD);
    assertThat(merged.algorithm.epochs).isEqualTo(7);
    assertThat(merged.algorithm.deterministic).isFalse();
    assertThat(spec.algorithm.model.layers.get(0).dense).as("input unchanged").isEqualTo(128);
  }

  @Test
  void mergeCreatesAnOptimizerBlockThatWasOmitted() throws IOException {
    TrainingJobSpec spec = spec();
    spec.algorithm.optimizer = null;
    spec.hyperparameters = new LinkedHashMap<>();
    spec.hyperparameters.put("optimizer.momentum", "0.9");
    assertThat(Hyperparameters.merge(spec).algorithm.optimizer.momentum).isEqualTo(0.9);
  }

  @Test
  void mergeRejectsAWrongTypeSayingWhatWasExpected() throws IOException {
    TrainingJobSpec spec = spec();
    spec.hyperparameters = new LinkedHashMap<>();
    spec.hyperparameters.put("model.layers.0.dense", "wide");
    assertThatThrownBy(() -> Hyperparameters.merge(spec))
        .hasMessage("hyperparameter 'model.layers.0.dense': 'wide' is not a valid integer");
  }

  @Test
  void mergeRejectsAnUnknownEnumValueListingTheChoices() throws IOException {
    TrainingJobSpec spec = spec();
    spec.hyperparameters = new LinkedHashMap<>();
    spec.hyperparameters.put("optimizer.type", "rmsprop");
    assertThatThrownBy(() -> Hyperparameters.merge(spec))
        .hasMessageContaining("'rmsprop' is not a valid value; expected one of [sgd, adam]");
  }

  @Test
  void containerHyperparametersAreFreeForm() throws IOException {
    TrainingJobSpec spec = spec();
    spec.algorithm = null;
    spec.container = new dev.kiln.api.spec.ContainerSpec();
    spec.container.image = "img";
    spec.hyperparameters = new LinkedHashMap<>();
    spec.hyperparameters.put("anything.goes", "1");
    assertThat(Hyperparameters.merge(spec).hyperparameters).containsEntry("anything.goes", "1");
  }
}
