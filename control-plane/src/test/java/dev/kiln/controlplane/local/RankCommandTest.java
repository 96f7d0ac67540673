package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.api.spec.ContainerSpec;
import dev.kiln.api.spec.Resources;
import dev.kiln.api.spec.TrainingJobSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankCommandTest {
  private final RankCommand commands =
      new RankCommand("/jdk/bin/java", "/repo/worker/target/classes:/repo/worker/target/lib/*");

  @Test
  void theBuiltInTrainerRunsInAJvmSizedByItsResources() {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.resources = new Resources("1500m", "512Mi", 0);

    assertThat(commands.command(spec))
        .containsExactly(
            "/jdk/bin/java",
            "-Xmx512m",
            "-XX:ActiveProcessorCount=2",
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            "/repo/worker/target/classes:/repo/worker/target/lib/*",
            RankCommand.WORKER_MAIN);
  }

  @Test
  void withoutResourcesARankGetsOneProcessorAndTheDefaultHeap() {
    assertThat(commands.command(new TrainingJobSpec()))
        .contains("-XX:ActiveProcessorCount=1")
        .noneMatch(a -> a.startsWith("-Xmx"));
    assertThat(RankCommand.mebibytes(new io.fabric8.kubernetes.api.model.Quantity("2Gi")))
        .isEqualTo(2048);
  }

  @Test
  void aContainerRunsItsCommandAndArgsAndNotItsImage() {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.container = new ContainerSpec();
    spec.container.image = "ghcr.io/acme/train:1";
    spec.container.command = List.of("python3", "train.py");
    spec.container.args = List.of("--epochs", "5");

    assertThat(RankCommand.problem(spec)).isNull();
    assertThat(commands.command(spec)).containsExactly("python3", "train.py", "--epochs", "5");
  }

  @Test
  void aContainerWithoutACommandCannotRunLocallyAndSaysWhatToSet() {
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.container = new ContainerSpec();
    spec.container.image = "ghcr.io/acme/train:1";

    assertThat(RankCommand.problem(spec)).contains("set spec.container.command");
  }
}
