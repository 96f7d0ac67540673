package dev.kiln.controlplane.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.Kiln;
import dev.kiln.api.TrainingJob;
import dev.kiln.api.status.Phase;
import dev.kiln.controlplane.core.JobConditions;
import dev.kiln.controlplane.testing.Jobs;
import dev.kiln.controlplane.testing.KilnCrds;
import dev.kiln.controlplane.testing.PodPhaseSimulator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the test API server in CRUD mode (no server-side apply, no garbage
 * collection, no kubelet: {@link PodPhaseSimulator} plays the kubelet).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = KilnCrds.class)
class TrainingJobReconcilerIT {
  static final String NS = "ml";
  static final Duration WAIT = Duration.ofSeconds(20);

  @Inject KubernetesClient client;

  private TrainingJob create(TrainingJob job) {
    job.getMetadata().setUid(null);
    job.getMetadata().setGeneration(null);
    return client.resource(job).inNamespace(NS).create();
  }

  private TrainingJob get(String name) {
    return client.resources(TrainingJob.class).inNamespace(NS).withName(name).get();
  }

  private List<Pod> pods(String job) {
    return client.pods().inNamespace(NS).withLabel(Kiln.LABEL_JOB, job).list().getItems();
  }

  private void awaitPhase(String name, Phase phase) {
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(get(name).getStatus().phase).isEqualTo(phase));
  }

  @Test
  void aFourRankJobGetsFourCorrectPodsAServiceAConfigMapAndASecret() {
    TrainingJob job = create(Jobs.algorithm("four", 4));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("four")).hasSize(4));

    Map<String, Pod> byName =
        pods("four").stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
    assertThat(byName).containsOnlyKeys("four-1-0", "four-1-1", "four-1-2", "four-1-3");
    Pod rank2 = byName.get("four-1-2");
    assertThat(rank2.getMetadata().getLabels())
        .containsEntry(Kiln.LABEL_JOB, "four")
        .containsEntry(Kiln.LABEL_ATTEMPT, "1")
        .containsEntry(Kiln.LABEL_RANK, "2")
        .containsEntry(Kiln.LABEL_GANG_SIZE, "4")
        .containsEntry(Kiln.LABEL_QUEUE, "default");
    assertThat(rank2.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(o.getKind()).isEqualTo("TrainingJob");
              assertThat(o.getController()).isTrue();
            });
    assertThat(rank2.getSpec().getHostname()).isEqualTo("four-1-2");
    assertThat(rank2.getSpec().getSubdomain()).isEqualTo("four-ranks");
    assertThat(rank2.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(rank2.getSpec().getSchedulerName()).isEqualTo("kiln-scheduler");
    assertThat(rank2.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    Container trainer = rank2.getSpec().getContainers().get(0);
    assertThat(trainer.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    assertThat(trainer.getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(trainer.getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
    Map<String, EnvVar> env =
        trainer.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    assertThat(env.get("RANK").getValue()).isEqualTo("2");
    assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("4");
    assertThat(env.get("LOCAL_RANK").getValue()).isEqualTo("0");
    assertThat(env.get("KILN_ATTEMPT").getValue()).isEqualTo("1");
    assertThat(env.get("KILN_JOB_UID").getValue()).isEqualTo(job.getMetadata().getUid());
    assertThat(env.get("MASTER_ADDR").getValue()).isEqualTo("four-1-0.four-ranks.ml.svc");
    assertThat(env.get("MASTER_PORT").getValue()).isEqualTo("29500");
    assertThat(env.get("KILN_METRICS_PORT").getValue()).isEqualTo("9090");
    assertThat(env.get("KILN_SPEC_FILE").getValue()).isEqualTo("/etc/kiln/spec.json");
    assertThat(env.get("KILN_TOKEN").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("four-kiln");
    assertThat(env.get("AWS_ACCESS_KEY_ID").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("AWS_ACCESS_KEY_ID");

    Service service = client.services().inNamespace(NS).withName("four-ranks").get();
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
    ConfigMap spec = client.configMaps().inNamespace(NS).withName("four-spec").get();
    assertThat(spec.getData().get("spec.json")).contains("\"learningRate\":0.01");
    assertThat(client.secrets().inNamespace(NS).withName("four-kiln").get().getData())
        .containsKeys("token", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TrainingJob j = get("four");
              assertThat(j.getStatus().phase).isEqualTo(Phase.PENDING);
              assertThat(j.getStatus().attempt).isEqualTo(1);
              assertThat(j.getStatus().ranks).isEqualTo("0/4");
              assertThat(j.getStatus().observedGeneration)
                  .isEqualTo(j.getMetadata().getGeneration());
            });
  }

  @Test
  void simulatedRunningPodsMakeTheJobRunningAndAllSucceededMakeItSucceeded() {
    create(Jobs.algorithm("happy", 2));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("happy")).hasSize(2));
    PodPhaseSimulator kubelet = new PodPhaseSimulator(client, NS);

    kubelet.runAll("happy", 1);
    awaitPhase("happy", Phase.RUNNING);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TrainingJob j = get("happy");
              assertThat(j.getStatus().ranks).isEqualTo("2/2");
              assertThat(condition(j, JobConditions.READY)).isEqualTo("True/RanksReady");
              assertThat(condition(j, JobConditions.GANG_SCHEDULED))
                  .isEqualTo("True/AllRanksScheduled");
            });

    kubelet.succeedAll("happy", 1);
    awaitPhase("happy", Phase.SUCCEEDED);
    TrainingJob done = get("happy");
    assertThat(done.getStatus().modelUri).isEqualTo("s3://models/happy/model/");
    assertThat(done.getStatus().completionTime).isNotNull();
    assertThat(pods("happy"))
        .extracting(p -> p.getStatus().getPhase())
        .as("nothing left running")
        .containsOnly("Succeeded");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events("happy"))
                    .contains("Accepted", "AttemptStarted", "Running", "Succeeded"));
  }

  @Test
  void aFailedRankRestartsTheGangAsAttemptTwoOnlyAfterAttemptOnesPodsAreGone() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    try (Watch watch =
        client.pods().inNamespace(NS).withLabel(Kiln.LABEL_JOB, "flaky").watch(recorder(order))) {
      create(Jobs.algorithm("flaky", 3));
      await().atMost(WAIT).untilAsserted(() -> assertThat(pods("flaky")).hasSize(3));
      PodPhaseSimulator kubelet = new PodPhaseSimulator(client, NS);
      kubelet.runAll("flaky", 1);
      awaitPhase("flaky", Phase.RUNNING);

      kubelet.fail("flaky-1-1", 3, "Error", "epoch 2\nRuntimeError: NCCL timeout");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(pods("flaky"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactlyInAnyOrder("flaky-2-0", "flaky-2-1", "flaky-2-2");
                TrainingJob j = get("flaky");
                assertThat(j.getStatus().restarts).isEqualTo(1);
                assertThat(j.getStatus().attempt).isEqualTo(2);
              });
      TrainingJob j = get("flaky");
      assertThat(condition(j, JobConditions.DEGRADED)).isEqualTo("False/Restarted");
      assertThat(message(j, JobConditions.DEGRADED))
          .contains("rank 1 exited (exit code 3)", "RuntimeError: NCCL timeout");
      assertThat(events("flaky")).contains("RankFailed");
      await().atMost(WAIT).untilAsserted(() -> assertThat(order).hasSizeGreaterThanOrEqualTo(9));
    }
    int lastDeletionOfAttempt1 = -1;
    int firstCreationOfAttempt2 = Integer.MAX_VALUE;
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).startsWith("DELETED flaky-1-")) {
        lastDeletionOfAttempt1 = i;
      }
      if (order.get(i).startsWith("ADDED flaky-2-")) {
        firstCreationOfAttempt2 = Math.min(firstCreationOfAttempt2, i);
      }
    }
    assertThat(lastDeletionOfAttempt1)
        .as("attempt 1 torn down: %s", order)
        .isGreaterThanOrEqualTo(0);
    assertThat(lastDeletionOfAttempt1)
        .as("events in order: %s", order)
        .isLessThan(firstCreationOfAttempt2);
  }

  @Test
  void anInvalidSpecFailsTheJobAndCreatesNothing() {
    TrainingJob job = Jobs.algorithm("broken", 2);
    job.getSpec().output.uri = "http://not-s3/";
    create(job);
    awaitPhase("broken", Phase.FAILED);
    TrainingJob j = get("broken");
    assertThat(condition(j, JobConditions.READY)).isEqualTo("False/InvalidSpec");
    assertThat(message(j, JobConditions.READY)).contains("output.uri");
    assertThat(pods("broken")).isEmpty();
    assertThat(client.configMaps().inNamespace(NS).withName("broken-spec").get()).isNull();
  }

  @Test
  void suspendingARunningJobDeletesItsPods() {
    create(Jobs.algorithm("pause", 2));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("pause")).hasSize(2));
    client
        .resources(TrainingJob.class)
        .inNamespace(NS)
        .withName("pause")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    awaitPhase("pause", Phase.SUSPENDED);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("pause")).isEmpty());
  }

  @Test
  void aJobRecreatedUnderTheSameNameReplacesWhatTheOldOneLeftBehind() {
    TrainingJob first = create(Jobs.algorithm("again", 2));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pods("again")).hasSize(2));
    // The test server has no garbage collector: the old job's children stay behind.
    client.resource(first).delete();
    await().atMost(WAIT).until(() -> get("again") == null);

    TrainingJob second = create(Jobs.algorithm("again", 2));
    String uid = second.getMetadata().getUid();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(pods("again"))
                  .hasSize(2)
                  .allSatisfy(
                      p ->
                          assertThat(p.getMetadata().getLabels())
                              .containsEntry(Kiln.LABEL_JOB_UID, uid));
              assertThat(
                      client
                          .services()
                          .inNamespace(NS)
                          .withName("again-ranks")
                          .get()
                          .getSpec()
                          .getSelector())
                  .containsEntry(Kiln.LABEL_JOB_UID, uid);
              assertThat(
                      client
                          .secrets()
                          .inNamespace(NS)
                          .withName("again-kiln")
                          .get()
                          .getMetadata()
                          .getLabels())
                  .containsEntry(Kiln.LABEL_JOB_UID, uid);
            });
  }

  private List<String> events(String job) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .toList();
  }

  private static Watcher<Pod> recorder(List<String> order) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.ADDED || action == Action.DELETED) {
          order.add(action + " " + pod.getMetadata().getName());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  static String condition(TrainingJob job, String type) {
    return job.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  static String message(TrainingJob job, String type) {
    return job.getStatus().conditions.stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }
}
