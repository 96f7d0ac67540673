package dev.kiln.it.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode end to end, through the CLI: the demo, a rank killed mid-training, and a control plane
 * killed with -9 mid-training. Ranks are real worker JVMs; the model lands in the embedded S3.
 */
class LocalModeEndToEndIT {
  @TempDir static Path dir;
  static LocalKiln kiln;

  @BeforeAll
  static void up() throws Exception {
    kiln = new LocalKiln(dir);
    LocalKiln.Run up = kiln.up();
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(up.out()).contains("local mode up: control plane 127.0.0.1:" + kiln.port);
    LocalKiln.Run data =
        kiln.kiln(
            "data",
            "cp",
            LocalKiln.REPO.resolve("examples/data/digits.csv").toString(),
            "s3://datasets/e2e/train.csv");
    assertThat(data.exit()).as(data.err()).isZero();
  }

  @AfterAll
  static void down() throws Exception {
    kiln.close();
    assertThat(kiln.anyRankAlive()).as("kiln local down stops every rank").isFalse();
  }

  @Test
  void theDemoTrainsOnDigitsAndReportsItsHeldOutAccuracyWithTheModelInS3() throws Exception {
    LocalKiln.Run demo = kiln.kiln("demo");

    assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
    Matcher m = Pattern.compile("held-out accuracy: ([0-9.]+)").matcher(demo.out());
    assertThat(m.find()).as(demo.out()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isGreaterThanOrEqualTo(0.97);
    assertThat(demo.out()).contains("model: s3://models/digits-mlp/model/");
    assertThat(modelFiles("s3://models/digits-mlp/model/"))
        .containsExactlyInAnyOrder("model.json", "weights.safetensors", "model.onnx");
  }

  @Test
  void aKilledRankRestartsTheGangFromItsLatestCheckpoint() throws Exception {
    submit("killrank", 20);
    TrainingJob running = kiln.awaitJob("killrank", j -> LocalKiln.epoch(j) >= 3);

    killTrainer(rank(running, 1));

    TrainingJob done = kiln.awaitJob("killrank", LocalModeEndToEndIT::finished);
    assertThat(done.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
    assertThat(done.getStatus().attempt).isEqualTo(2);
    assertThat(done.getStatus().restarts).isEqualTo(1);
    LocalKiln.Run logs = kiln.kiln("train", "logs", "killrank", "--rank", "0");
    Matcher resumed = Pattern.compile("resumed from checkpoint epoch=(\\d+)").matcher(logs.out());
    assertThat(resumed.find()).as(logs.out()).isTrue();
    assertThat(Integer.parseInt(resumed.group(1))).isGreaterThanOrEqualTo(1);
    assertThat(modelFiles("s3://models/killrank/model/")).contains("model.json");
  }

  @Test
  void aControlPlaneKilledWithMinus9AndRestartedFinishesTheJobOnceWithOneModel() throws Exception {
    submit("cpkill", 20);
    kiln.awaitJob("cpkill", j -> LocalKiln.epoch(j) >= 3);
    long pid = kiln.localFile().pid();
    List<Long> ranks = wrappers(kiln.job("cpkill"));

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty());
    assertThat(ranks)
        .as("ranks outlive the control plane")
        .allMatch(p -> ProcessHandle.of(p).isPresent());
    LocalKiln.Run up = kiln.up();
    assertThat(up.exit()).as(up.err()).isZero();

    TrainingJob done = kiln.awaitJob("cpkill", LocalModeEndToEndIT::finished);
    String described = kiln.kiln("train", "get", "cpkill").out();
    assertThat(done.getStatus().phase).as(described).isEqualTo(Phase.SUCCEEDED);
    assertThat(done.getStatus().attempt)
        .as("the ranks were re-adopted, not restarted:\n" + described)
        .isEqualTo(1);
    assertThat(done.getStatus().restarts).isZero();
    List<String> reasons;
    try (var client = kiln.client()) {
      reasons =
          client.events("default", "cpkill").getEventsList().stream()
              .map(e -> e.getReason())
              .toList();
    }
    assertThat(reasons).containsOnlyOnce("AttemptStarted", "Succeeded").doesNotContain("RankLost");
    assertThat(modelFiles("s3://models/cpkill/"))
        .containsExactlyInAnyOrder("model.json", "weights.safetensors", "model.onnx");
  }

  @Test
  void thePyTorchDdpExampleTrainsTwoRanksOnGlooAsLocalProcesses() throws Exception {
    String python = PyTorch.python();
    Assumptions.assumeTrue(python != null, PyTorch.SKIP_REASON);
    Path example = Files.createDirectories(dir.resolve("pytorch-ddp"));
    Files.copy(
        LocalKiln.REPO.resolve("examples/pytorch-ddp/train.py"), example.resolve("train.py"));
    TrainingJob job =
        Manifests.parse(
            Files.readString(LocalKiln.REPO.resolve("examples/pytorch-ddp/trainingjob.yaml")),
            TrainingJob.class);
    job.getSpec().container.command = List.of(python, "train.py");
    job.getSpec().inputs.get("train").uri = "s3://datasets/e2e/train.csv";
    Path yaml = example.resolve("trainingjob.yaml");
    Files.writeString(yaml, Manifests.toYaml(job));

    LocalKiln.Run run = kiln.kiln("train", "submit", "-f", yaml.toString(), "--wait");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    TrainingJob done = kiln.job("digits-ddp");
    assertThat(done.getStatus().metrics.latest.get("epoch")).isEqualTo(8.0);
    assertThat(done.getStatus().metrics.latest.get("val_accuracy")).isGreaterThan(0.9);
    assertThat(modelFiles("s3://models/digits-ddp/model/"))
        .containsExactlyInAnyOrder("model.pt", "metrics.json");
  }

  /** Submits the demo's job under another name, with fewer epochs, through the CLI. */
  private static void submit(String name, int epochs) throws IOException {
    TrainingJob job =
        Manifests.parse(
            Files.readString(LocalKiln.REPO.resolve("examples/digits/digits-mlp.yaml")),
            TrainingJob.class);
    job.getMetadata().setName(name);
    job.getSpec().algorithm.epochs = epochs;
    job.getSpec().inputs.get("train").uri = "s3://datasets/e2e/train.csv";
    job.getSpec().inputs.remove("validation");
    job.getSpec().output.uri = "s3://models/" + name + "/";
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(yaml, Manifests.toYaml(job));
    LocalKiln.Run run = kiln.kiln("train", "submit", "-f", yaml.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("trainingjob/" + name + " created");
  }

  private static boolean finished(TrainingJob j) {
    return j.getStatus() != null && j.getStatus().phase != null && j.getStatus().phase.isTerminal();
  }

  private List<Long> wrappers(TrainingJob job) throws IOException {
    return kiln.rankRecords(job).stream()
        .map(r -> r.path("process").path("pid"))
        .filter(JsonNode::isNumber)
        .map(JsonNode::asLong)
        .toList();
  }

  /** The wrapper pid of a rank of the attempt in force. */
  private long rank(TrainingJob job, int rank) throws IOException {
    int attempt = job.getStatus().attempt;
    return kiln.rankRecords(job).stream()
        .filter(r -> r.path("attempt").asInt() == attempt && r.path("rank").asInt() == rank)
        .map(r -> r.path("process").path("pid").asLong())
        .findFirst()
        .orElseThrow();
  }

  /** kill -9 of the rank's JVM (its wrapper records the exit), as a crash would. */
  private static void killTrainer(long wrapper) {
    ProcessHandle trainer =
        ProcessHandle.of(wrapper)
            .orElseThrow()
            .descendants()
            .filter(p -> p.info().command().orElse("").endsWith("java"))
            .findFirst()
            .orElseThrow();
    trainer.destroyForcibly();
  }

  /** The file names under an S3 prefix, downloaded through {@code kiln data cp}. */
  private static List<String> modelFiles(String uri) throws IOException {
    Path target = Files.createTempDirectory(dir, "download");
    LocalKiln.Run cp = kiln.kiln("data", "cp", uri, target.toString());
    assertThat(cp.exit()).as(cp.err()).isZero();
    try (Stream<Path> files = Files.walk(target)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("checkpoints"))
          .map(p -> p.getFileName().toString())
          .toList();
    }
  }
}
