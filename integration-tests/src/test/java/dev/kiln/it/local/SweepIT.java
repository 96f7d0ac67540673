package dev.kiln.it.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.TuningJob;
import dev.kiln.api.status.Phase;
import dev.kiln.cli.local.LocalClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep in local mode through the CLI, with the control plane killed with -9 mid-sweep and
 * started again: every trial index is used once, none is lost, and the sweep ends with its best.
 */
class SweepIT {
  static final int TRIALS = 6;

  @TempDir static Path dir;
  static LocalKiln kiln;

  @BeforeAll
  static void up() throws Exception {
    kiln = new LocalKiln(dir);
    LocalKiln.Run up = kiln.up();
    assertThat(up.exit()).as(up.err()).isZero();
    LocalKiln.Run data =
        kiln.kiln(
            "data",
            "cp",
            LocalKiln.REPO.resolve("examples/data/digits.csv").toString(),
            "s3://datasets/sweep/train.csv");
    assertThat(data.exit()).as(data.err()).isZero();
  }

  @AfterAll
  static void down() throws Exception {
    kiln.close();
    assertThat(kiln.anyRankAlive()).as("kiln local down stops every rank").isFalse();
  }

  @Test
  void aSweepSurvivesAControlPlaneKillAndEndsWithEveryTrialOnceAndItsBest() throws Exception {
    Path yaml = dir.resolve("tune.yaml");
    Files.writeString(yaml, sweepYaml());
    LocalKiln.Run created = kiln.kiln("sweep", "create", "-f", yaml.toString());
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("tuningjob/digits-tune created");

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> trials().stream().anyMatch(t -> LocalKiln.epoch(t) >= 1));
    long pid = kiln.localFile().pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty());
    LocalKiln.Run again = kiln.up();
    assertThat(again.exit()).as(again.err()).isZero();

    LocalKiln.Run watched = kiln.kiln("sweep", "create", "-f", yaml.toString(), "--watch");
    String get = kiln.kiln("sweep", "get", "digits-tune").out();
    assertThat(watched.exit()).as(watched.out() + watched.err() + get).isZero();
    assertThat(watched.out()).contains("best so far: digits-tune-").contains("succeeded: best");

    List<TrainingJob> trials = trials();
    assertThat(trials)
        .extracting(t -> t.getMetadata().getName())
        .as(get)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, TRIALS).mapToObj(k -> "digits-tune-" + k).toList());
    assertThat(trials).allMatch(t -> t.getStatus().phase == Phase.SUCCEEDED);
    assertThat(trials)
        .as("ASHA promoted a trial, which resumed from its checkpoint:\n" + get)
        .anyMatch(t -> t.getSpec().algorithm.epochs > 1 && t.getStatus().attempt >= 2);
    TuningJob sweep = sweep();
    assertThat(sweep.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(sweep.getStatus().trials.total).isEqualTo(TRIALS);
    assertThat(sweep.getStatus().trials.failed).isZero();
    assertThat(sweep.getStatus().trials.succeeded + sweep.getStatus().trials.stopped)
        .isEqualTo(TRIALS);

    LocalKiln.Run best = kiln.kiln("sweep", "best", "digits-tune");
    assertThat(best.exit()).as(best.err()).isZero();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> parsed = new YAMLMapper().readValue(best.out(), Map.class);
    assertThat(parsed.get("hyperparameters"))
        .containsOnlyKeys("optimizer.learningRate", "model.layers.0.dense")
        .isEqualTo(sweep.getStatus().bestTrial.parameters);
    assertThat(kiln.kiln("sweep", "list").out()).contains("digits-tune").contains("Succeeded");
  }

  private static List<TrainingJob> trials() {
    try (LocalClient c = kiln.client()) {
      return c.list(TrainingJob.class, "default").stream()
          .filter(t -> t.getMetadata().getName().startsWith("digits-tune-"))
          .toList();
    }
  }

  private static TuningJob sweep() {
    try (LocalClient c = kiln.client()) {
      return c.get(TuningJob.class, "default", "digits-tune").orElseThrow();
    }
  }

  private static String sweepYaml() {
    return """
        apiVersion: kiln.dev/v1alpha1
        kind: TuningJob
        metadata: {name: digits-tune}
        spec:
          objective: {metric: val_accuracy, goal: maximize}
          strategy: {type: random, seed: 5}
          earlyStopping: {type: asha, minEpochs: 1, reductionFactor: 2}
          parameters:
            - {name: optimizer.learningRate, type: double, min: 0.001, max: 0.05, scale: log}
            - {name: model.layers.0.dense, type: int, min: 8, max: 32}
          maxTrials: %d
          parallelTrials: 2
          maxFailedTrials: 2
          trialTemplate:
            spec:
              workers: 1
              algorithm:
                model:
                  layers:
                    - {dense: 16, activation: relu}
                    - {dense: 10, activation: softmax}
                loss: cross_entropy
                optimizer: {type: adam, learningRate: 0.01}
                epochs: 4
                batchSize: 64
                seed: 1
              inputs:
                train: {uri: "s3://datasets/sweep/train.csv", label: label}
                validation: {uri: "s3://datasets/sweep/train.csv", label: label}
              output: {uri: "s3://models/digits-tune/"}
              checkpoint: {everyEpochs: 1}
        """
        .formatted(TRIALS);
  }
}
