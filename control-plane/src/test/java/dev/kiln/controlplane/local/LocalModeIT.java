package dev.kiln.controlplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.Manifests;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.spec.MetricRule;
import dev.kiln.api.status.Phase;
import dev.kiln.grpc.ApplyRequest;
import dev.kiln.grpc.ListRequest;
import dev.kiln.grpc.ResourceRef;
import dev.kiln.grpc.ResourceReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control-plane jar in local mode, as a real child process with no kubeconfig: its LocalApi,
 * its embedded S3 server, and container jobs run as local processes (shell scripts stand in for a
 * user's training code).
 */
class LocalModeIT {
  @TempDir static Path dir;
  static LocalModeProcess plane;

  @BeforeAll
  static void start() throws Exception {
    plane = LocalModeProcess.start(dir);
    plane.putTrainChannel();
  }

  @AfterAll
  static void stop() throws Exception {
    plane.close();
  }

  @Test
  void startsWithoutAKubeconfigAndWritesWhereEverythingIs() throws Exception {
    assertThat(plane.localJson().path("address").asText()).isEqualTo("127.0.0.1:" + plane.port);
    assertThat(plane.localJson().path("s3").asText()).isEqualTo("http://127.0.0.1:" + plane.s3Port);
    assertThat(plane.localJson().path("home").asText()).isEqualTo(plane.home.toString());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plane.configFile())))
        .as("local.json holds the token")
        .isEqualTo("rw-------");
    assertThat(plane.log()).contains("the Kubernetes operator is off").doesNotContain("ERROR");
    assertThat(
            plane
                .api()
                .list(ListRequest.newBuilder().setKind("TrainingJob").build())
                .getJsonCount())
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  void refusesCallsWithoutTheToken() {
    ListRequest list = ListRequest.newBuilder().setKind("TrainingJob").build();
    assertThatThrownBy(() -> plane.api(null).list(list))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(() -> plane.api("not-the-token").list(list))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void rejectsAnInvalidSpecWithTheValidatorsMessage() throws Exception {
    String yaml =
        Files.readString(Path.of("..", "samples", "trainingjob-invalid-learning-rate.yaml"));
    String json = Manifests.toJson(Manifests.parse(yaml));
    assertThatThrownBy(
            () -> plane.api().apply(ApplyRequest.newBuilder().setManifestJson(json).build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).contains("learningRate");
            });
  }

  @Test
  void runsAContainerJobAsLocalProcessesWithTheRankContract() throws Exception {
    String script =
        String.join(
            "\n",
            "set -e",
            "test -n \"$KILN_TOKEN\" && test -n \"$MASTER_PORT\" && test -n \"$KILN_METRICS_PORT\"",
            "echo \"rank=$RANK world=$WORLD_SIZE master=$MASTER_ADDR:$MASTER_PORT torch=$PET_NNODES\"",
            "echo \"rows=$(wc -l < \"$KILN_CHANNEL_TRAIN/train.csv\")\"",
            "for e in 1 2 3; do echo \"epoch $e val_accuracy=0.$((6 + e))\"; done",
            "mkdir -p \"$KILN_MODEL_DIR\"",
            "echo \"{\\\"rank\\\": $RANK}\" > \"$KILN_MODEL_DIR/model.json\"");
    TrainingJob job = LocalModeProcess.container("ctest", 2, script);
    job.getSpec().metrics = List.of(new MetricRule("val_accuracy", "val_accuracy=([0-9.]+)"));
    plane.apply(job);

    TrainingJob done = plane.awaitPhase("ctest", Phase.SUCCEEDED);

    assertThat(done.getStatus().attempt).isEqualTo(1);
    assertThat(done.getStatus().metrics.latest).containsEntry("val_accuracy", 0.9);
    assertThat(done.getStatus().modelUri).isEqualTo("s3://models/ctest/model/");
    assertThat(plane.getObject("models", "ctest/model/model.json")).isEqualTo("{\"rank\": 0}\n");
    String log = plane.logs("ctest", 0);
    assertThat(log)
        .contains("rank=0 world=2 master=127.0.0.1:")
        .contains("torch=2")
        .contains("rows=4");
    assertThat(plane.events("ctest"))
        .anyMatch(e -> e.contains("is not used") && e.contains("local processes"));
  }

  @Test
  void aFailedRankRestartsTheGangAsANewAttempt() throws Exception {
    String script =
        "if [ \"$KILN_ATTEMPT\" = 1 ] && [ \"$RANK\" = 1 ]; then echo boom; exit 3; fi; echo ok";
    plane.apply(LocalModeProcess.container("restarts", 2, script));

    TrainingJob done = plane.awaitPhase("restarts", Phase.SUCCEEDED);

    assertThat(done.getStatus().attempt).isEqualTo(2);
    assertThat(done.getStatus().restarts).isEqualTo(1);
    assertThat(plane.events("restarts"))
        .anyMatch(e -> e.contains("rank 1 exited (exit code 3)") && e.contains("boom"));
  }

  @Test
  void watchStreamsAJobAsItChangesUntilItIsDeleted() throws Exception {
    plane.apply(LocalModeProcess.container("watched", 1, "exit 0"));
    Iterator<ResourceReply> watch =
        plane
            .api()
            .watch(ResourceRef.newBuilder().setKind("TrainingJob").setName("watched").build());
    List<Phase> phases = new ArrayList<>();
    while (!phases.contains(Phase.SUCCEEDED)) {
      TrainingJob seen = Manifests.fromJson(watch.next().getJson(), TrainingJob.class);
      phases.add(seen.getStatus() == null ? null : seen.getStatus().phase);
    }

    plane.api().delete(ResourceRef.newBuilder().setKind("TrainingJob").setName("watched").build());

    // The deletion is the last reply; then the stream ends.
    List<String> rest = new ArrayList<>();
    watch.forEachRemaining(r -> rest.add(r.getJson()));
    assertThat(rest).isNotEmpty();
    assertThat(phases).contains(Phase.RUNNING, Phase.SUCCEEDED);
    assertThat(plane.job("watched")).isEmpty();
  }

  @Test
  void suspendingAJobStopsEveryRank() throws Exception {
    TrainingJob job = LocalModeProcess.container("sleeper", 2, "echo started; exec sleep 300");
    plane.apply(job);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                plane
                    .job("sleeper")
                    .map(j -> j.getStatus() != null && j.getStatus().phase == Phase.RUNNING)
                    .orElse(false));
    List<Long> ranks = plane.rankPids(plane.job("sleeper").orElseThrow());
    assertThat(ranks).hasSize(2);

    job.getSpec().suspend = true;
    plane.apply(job);

    plane.awaitPhase("sleeper", Phase.SUSPENDED);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(ranks)
                    .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }
}
