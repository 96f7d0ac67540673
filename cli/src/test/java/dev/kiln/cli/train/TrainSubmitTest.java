package dev.kiln.cli.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSubmitTest {
  @TempDir Path dir;

  @Test
  void readsTheTrainingJobsOfTheSameYamlAsKubectlApply() {
    assertThat(TrainSubmit.read(Path.of("..", "samples", "trainingjob-digits.yaml")))
        .singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getName()).isEqualTo("digits-mlp"));
  }

  @Test
  void anotherKindIsAUsageErrorThatPointsAtTheRightCommand() {
    assertThatThrownBy(
            () -> TrainSubmit.read(Path.of("..", "samples", "tuningjob-digits-sweep.yaml")))
        .isInstanceOfSatisfying(
            KilnException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
              assertThat(e.describe()).contains("holds a TuningJob").contains("kiln sweep create");
            });
  }

  @Test
  void anInvalidSpecIsRefusedWithTheValidatorsMessageBeforeAnythingRuns() {
    assertThatThrownBy(
            () ->
                TrainSubmit.read(
                    Path.of("..", "samples", "trainingjob-invalid-learning-rate.yaml")))
        .isInstanceOfSatisfying(
            KilnException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
              assertThat(e.getMessage()).contains("is invalid").contains("learningRate");
            });
  }

  @Test
  void aManifestErrorNamesTheFileAndTheField() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(
        yaml,
        "apiVersion: kiln.dev/v1alpha1\nkind: TrainingJob\nmetadata: {name: x}\nspec: {wokers: 2}\n");

    assertThatThrownBy(() -> TrainSubmit.read(yaml))
        .isInstanceOfSatisfying(
            KilnException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
              assertThat(e.getMessage()).contains("bad.yaml").contains("wokers");
            });
  }
}
